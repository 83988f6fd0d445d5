//go:build unix

package docx

import (
	"os/exec"
	"syscall"
)

// killGroupOnCancel puts the command in a process group of its own and kills the
// whole group when the context ends: soffice is a script that starts oosplash,
// which starts soffice.bin, and killing the script alone would leave them running.
func killGroupOnCancel(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
