//go:build headless

package launch

import (
	"context"
	"fmt"
	"io"

	"github.com/stillcast/stillcast/ui/cli"
)

// Window says that this build has no window, shows what it can do
// instead, and returns the usage exit code.
func Window(_ context.Context, _ []string, stderr io.Writer) int {
	fmt.Fprintf(stderr, "stillcast: this build has no window; use render or live.\n\n%s", cli.Usage)
	return cli.ExitUsage
}
