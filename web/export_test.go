package web

// Messages exposes the message catalogue to the black-box tests.
var Messages = messages
