//go:build !unix

package docx

import "os/exec"

// killGroupOnCancel leaves the default: the context kills the started process.
func killGroupOnCancel(cmd *exec.Cmd) {}
