// Command stillcast turns a still image into a video file or a live
// stream. With no arguments, or image and sound files, it opens the window;
// "stillcast render …" and "stillcast live …" run the same engine headless.
// A build with the "headless" tag has the commands only (see ui/launch).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/stillcast/stillcast/ui/cli"
	"github.com/stillcast/stillcast/ui/launch"
	_ "github.com/stillcast/stillcast/ui/locale" // before Fyne's init: no locale noise under LANG=C
)

func main() {
	// Ctrl-C, SIGTERM, and on Windows a closed console, a logout or a
	// shutdown (which Go delivers as SIGTERM) stop the job cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	var code int
	if len(os.Args) > 1 && cli.IsCommand(os.Args[1]) {
		code = cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	} else {
		// Files from the command line or a file manager's "Open with":
		// images make a slideshow, sound files its audio.
		code = launch.Window(ctx, os.Args[1:], os.Stderr)
	}
	stop()
	os.Exit(code)
}
