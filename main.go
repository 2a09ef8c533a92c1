// Command stillcast turns a still image into a video file. With no
// arguments, or an image path, it opens the window; "stillcast render …"
// runs the same engine headless.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/stillcast/stillcast/ui/cli"
)

func main() {
	if len(os.Args) > 1 && cli.IsCommand(os.Args[1]) {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	fmt.Fprint(os.Stderr, cli.Usage)
	os.Exit(cli.ExitUsage)
}
