//go:build !headless

package launch

import (
	"context"
	"io"

	"github.com/stillcast/stillcast/ui"
)

// Window opens the window with files and returns the exit code once it
// closes. Cancelling ctx (SIGINT, SIGTERM) stops the job under way
// cleanly and closes it.
func Window(ctx context.Context, files []string, _ io.Writer) int {
	ui.Run(ctx, files...)
	return 0
}
