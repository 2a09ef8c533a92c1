// Command stillcast turns a still image into a video file or a live
// stream. With no arguments, or an image path, it opens the window;
// "stillcast render …" and "stillcast live …" run the same engine headless.
package main

import (
	"context"
	"fmt"
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
	// A file manager's "Open with" may pass several files; the window
	// takes one image, the first.
	var image string
	if len(os.Args) > 1 {
		image = os.Args[1]
	}
	if len(os.Args) > 2 {
		fmt.Fprintf(os.Stderr, "stillcast: opening %s; the other %d files are left out (slideshows are not supported yet)\n", image, len(os.Args)-2)
	}
	a := app.NewWithID("io.github.stillcast")
	w := a.NewWindow("Stillcast")
	ui.Create(a, w, image)
	w.ShowAndRun()
}
