package http

// UIMessages exposes the message catalogue to the black-box tests.
var UIMessages = messages
