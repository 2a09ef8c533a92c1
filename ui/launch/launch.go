// Package launch opens Stillcast's window, or says that this build has
// none. It is the one place that knows whether the binary was built with
// the window: the default build has it, a build with the "headless" tag
// (CGO_ENABLED=0 go build -tags headless) has only the commands of
// ui/cli, and no Fyne, so it links statically and cross-compiles.
package launch
