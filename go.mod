module github.com/stillcast/stillcast

go 1.26.8

require (
	github.com/Microsoft/go-winio v0.6.4
	golang.org/x/image v0.48.0
	golang.org/x/sys v0.50.0
)
