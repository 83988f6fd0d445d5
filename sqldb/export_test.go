package sqldb

// MergeChunks exposes mergeChunks to the black-box tests.
var MergeChunks = mergeChunks

// SetLogPressure sets the size of ts_log past which old chunks are folded.
func SetLogPressure(n int64) { logPressure = n }
