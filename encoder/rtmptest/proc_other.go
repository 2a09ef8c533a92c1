//go:build !linux

package rtmptest

import "syscall"

func sysProcAttr() *syscall.SysProcAttr { return nil }
