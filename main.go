// Command stillcast turns a still image into a video file or a live
// stream. With no arguments, or image and sound files, it opens the window;
// "stillcast render …" and "stillcast live …" run the same engine headless.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2/app"

	"github.com/stillcast/stillcast/ui"
	"github.com/stillcast/stillcast/ui/cli"
	_ "github.com/stillcast/stillcast/ui/locale" // before Fyne's init: no locale noise under LANG=C
)

func main() {
	if len(os.Args) > 1 && cli.IsCommand(os.Args[1]) {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	// Files from the command line or a file manager's "Open with": images
	// make a slideshow, sound files its audio.
	a := app.NewWithID("io.github.stillcast")
	w := a.NewWindow("Stillcast")
	ui.Create(a, w, os.Args[1:]...)
	w.ShowAndRun()
}
