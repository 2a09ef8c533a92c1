//go:build !linux

package rtmptest

import "errors"

var errNoPause = errors.New("pausing nginx needs Linux's /proc")

func (d *daemon) pause() error  { return errNoPause }
func (d *daemon) resume() error { return nil }
