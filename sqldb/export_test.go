package sqldb

// MergeChunks exposes mergeChunks to the black-box tests.
var MergeChunks = mergeChunks
