# Stillcast. `make run` and `make test` set up a fresh Debian/Ubuntu machine
# themselves: they install whatever system packages are missing first.
SHELL := /bin/bash
GO    ?= go
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

# What the app needs to build (cgo, OpenGL, X11, GTK for native dialogs)
# and to run (ffmpeg).
RUN_PACKAGES  := ffmpeg gcc pkg-config libgl1-mesa-dev xorg-dev libgtk-3-dev
# What the tests need besides: a real RTMP server, a virtual display and
# ImageMagick for screenshots.
TEST_PACKAGES := $(RUN_PACKAGES) nginx-light libnginx-mod-rtmp xvfb x11-apps imagemagick

# install-packages installs the missing ones of $(1) with apt-get (with
# sudo when not root). Elsewhere it says what to install and goes on.
define install-packages
	@if ! command -v dpkg-query >/dev/null 2>&1; then \
		echo "Not a Debian/Ubuntu system: make sure these are installed (see README):" $(1); \
	else \
		missing=""; \
		for p in $(1); do \
			dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
		done; \
		if [ -n "$$missing" ]; then \
			sudo=""; [ "$$(id -u)" -ne 0 ] && sudo=sudo; \
			echo "Installing:$$missing"; \
			$$sudo apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
		fi; \
	fi
endef

.PHONY: run build test lint bench deps-run deps-test screenshot package generate clean

run: deps-run
	$(GO) run . $(ARGS)

build: deps-run
	$(GO) build -o stillcast .

deps-run:
	$(call install-packages,$(RUN_PACKAGES))

deps-test:
	$(call install-packages,$(TEST_PACKAGES))

lint: deps-test
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	GOOS=windows GOARCH=amd64 $(GO) vet ./encoder
	$(GO) run $(STATICCHECK) ./...
	@if $(GO) list -deps ./encoder | grep -q fyne; then echo "encoder must not import Fyne"; exit 1; fi

test: lint
	$(GO) test -race -count=1 -timeout 30m ./...

# Benchmarks compare Stillcast with the plain ffmpeg recipe in one run,
# so the ratios hold on a noisy machine.
bench: deps-test
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 60m ./encoder/

generate:
	$(GO) generate ./...

clean:
	rm -rf stillcast dist
