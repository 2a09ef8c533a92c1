# Stillcast. `make run` and `make test` set up a fresh Debian/Ubuntu machine
# themselves: they install whatever system packages are missing first.
SHELL := /bin/bash
GO    ?= go
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

# What the app needs to build (cgo, OpenGL, X11, GTK for native dialogs)
# and to run (ffmpeg).
RUN_PACKAGES  := ffmpeg gcc pkg-config libgl1-mesa-dev xorg-dev libgtk-3-dev
# What the tests need besides: a real RTMP server (with nginx's stream
# module, for RTMPS: encoder/rtmptest/tls.go), a virtual display,
# ImageMagick for screenshots, and a CJK font for the Chinese window
# (Fyne's own font has none; the window takes its Simplified Chinese face).
TEST_PACKAGES := $(RUN_PACKAGES) nginx-light libnginx-mod-rtmp libnginx-mod-stream xvfb x11-apps imagemagick fonts-noto-cjk

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

.PHONY: run build test lint layers bench deps-run deps-test deps-npm ffmpeg41 screenshot package generate clean
.PHONY: headless dist dist-deb dist-windows dist-tarballs deps-dist test-dist
.PHONY: test-windows deps-windows ffmpeg-windows

run: deps-run
	$(GO) run . $(ARGS)

build: deps-run
	$(GO) build -o stillcast .

deps-run:
	$(call install-packages,$(RUN_PACKAGES))

deps-test:
	$(call install-packages,$(TEST_PACKAGES))

deps-npm:
	$(call install-packages,npm)

lint: deps-test
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	GOOS=windows GOARCH=amd64 $(GO) vet ./encoder/...
	CGO_ENABLED=0 $(GO) vet -tags headless . ./ui/launch/ ./ui/cli/
	$(GO) run $(STATICCHECK) ./...
	@if $(GO) list -deps ./encoder | grep -q fyne; then echo "encoder must not import Fyne"; exit 1; fi
	@$(MAKE) --no-print-directory layers

# layers checks that every package imports only downwards. Each package of
# the module has a layer; it may import packages of lower layers only.
# encoder/picture is pure pixels (no os/exec, nothing of Stillcast's);
# encoder/ffmpeg knows nothing of Stillcast; ui/ uses the encoder and its
# pictures, never encoder/ffmpeg or os/exec.
LAYERS := encoder/picture=0 encoder/album=0 encoder/ffmpeg=0 encoder/mp4file=0 encoder/publish=0 encoder/splice=0 encoder/playout=1 resources=0 ui/human=0 ui/locale=0 ui/saved=0 \
	encoder/internal/imgtest=1 encoder/rtmptest=1 encoder=2 ui/cli=3 ui=4 ui/launch=5 .=6
layers:
	@set -e; mod=$$($(GO) list -m); fail=0; \
	layer() { rel=$${1#$$mod}; rel=$${rel#/}; [ -n "$$rel" ] || rel=.; \
		for l in $(LAYERS); do [ "$${l%=*}" = "$$rel" ] && { echo "$${l#*=}"; return; }; done; echo none; }; \
	for p in $$($(GO) list ./...); do \
		lp=$$(layer $$p); \
		if [ "$$lp" = none ]; then echo "$$p has no layer: add it to LAYERS in the Makefile"; fail=1; continue; fi; \
		for q in $$($(GO) list -f '{{join .Imports " "}}' $$p); do \
			case $$q in $$mod|$$mod/*) ;; *) continue ;; esac; \
			lq=$$(layer $$q); \
			if [ "$$lq" = none ] || [ "$$lq" -ge "$$lp" ]; then echo "$$p (layer $$lp) must not import $$q (layer $$lq)"; fail=1; fi; \
		done; \
	done; \
	if $(GO) list -deps ./encoder/picture | grep -qxE "os/exec|$$mod/.+" ; then \
		if $(GO) list -deps ./encoder/picture | grep -xE "os/exec|$$mod/.+" | grep -vqx "$$mod/encoder/picture"; then \
			echo "encoder/picture must not reach os/exec or another Stillcast package"; fail=1; fi; fi; \
	if $(GO) list -deps ./encoder/ffmpeg | grep -xE "$$mod/.+" | grep -vqx "$$mod/encoder/ffmpeg"; then \
		echo "encoder/ffmpeg must not import another Stillcast package"; fail=1; fi; \
	for p in $$($(GO) list ./ui/...); do \
		if $(GO) list -f '{{join .Imports "\n"}}' $$p | grep -qxE "os/exec|$$mod/encoder/ffmpeg"; then \
			echo "$$p must not import os/exec or encoder/ffmpeg: the encoder runs the programs"; fail=1; fi; \
	done; \
	exit $$fail

test: lint ffmpeg41
# The timeout is per package: the encoder package takes about 11 minutes on
# two free cores, and reached 30 under three times that load with no test
# failed; 75 leaves room (CI, unloaded, takes about 15 minutes in all).
	$(TEST_ENV) $(GO) test -race -count=1 -timeout 75m ./...

# ffmpeg41 fetches ffmpeg 4.1, the oldest Stillcast supports, for the tests
# that run it (they find it through $(FFMPEG41_ENV) and skip without it):
# static Linux builds from the npm packages of ffmpeg-installer, ffmpeg
# 20181210-g0e8eb07980 (4.1) and an ffprobe of 2019, kept in a cache
# folder outside git and fetched only when missing.
FFMPEG41_DIR  ?= $(HOME)/.cache/stillcast/ffmpeg-4.1
FFMPEG41_ENV  := STILLCAST_TEST_FFMPEG41
TEST_ENV      := $(FFMPEG41_ENV)=$(FFMPEG41_DIR)
ffmpeg41: $(FFMPEG41_DIR)/.complete
$(FFMPEG41_DIR)/.complete:
	$(call fetch-npm-ffmpeg,$(FFMPEG41_DIR),linux-x64,)
	@"$(FFMPEG41_DIR)/ffmpeg" -hide_banner -version | head -n 1
	@touch "$@"

# fetch-npm-ffmpeg puts the ffmpeg and ffprobe 4.1 of npm's
# @ffmpeg-installer and @ffprobe-installer for platform $(2) (linux-x64,
# win32-x64) into folder $(1); $(3) ends the programs' names ("" or .exe).
define fetch-npm-ffmpeg
	@command -v npm >/dev/null 2>&1 || $(MAKE) --no-print-directory deps-npm
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	echo "Fetching ffmpeg 4.1 for $(2) into $(1)"; \
	(cd "$$tmp" && npm pack --silent @ffmpeg-installer/$(2)@4.1.0 @ffprobe-installer/$(2)@4.1.0 >/dev/null); \
	mkdir -p "$$tmp/ffmpeg" "$$tmp/ffprobe" "$(1)"; \
	tar xzf "$$tmp"/ffmpeg-installer-$(2)-*.tgz -C "$$tmp/ffmpeg"; \
	tar xzf "$$tmp"/ffprobe-installer-$(2)-*.tgz -C "$$tmp/ffprobe"; \
	install -m 0755 "$$tmp/ffmpeg/package/ffmpeg$(3)" "$$tmp/ffprobe/package/ffprobe$(3)" "$(1)/"
endef

# test-windows runs the Windows build under Wine: renders (still path,
# per frame, with a song), each way of finding ffmpeg.exe, a failing
# ffmpeg, a cancelled render, a killed Stillcast (the Job Object must end
# ffmpeg) and the window on a virtual screen, with a real Windows ffmpeg
# 4.1 (npm's @ffmpeg-installer, cached like ffmpeg41) and the results read
# with the Linux ffprobe. See .ci/windows/test.sh; the Wine prefix is kept
# in $(WINE_PREFIX). The first mingw build of Fyne takes 8-12 minutes on two
# cores, later ones seconds.
WINDOWS_TEST_PACKAGES := wine wine64 gcc-mingw-w64-x86-64 ffmpeg xvfb x11-utils imagemagick
WINFFMPEG_DIR  ?= $(HOME)/.cache/stillcast/ffmpeg-4.1-win64
WINE_PREFIX    ?= $(HOME)/.cache/stillcast/wine-prefix
WINDOWS_TEST_BIN := dist/windows-test
test-windows: deps-windows ffmpeg-windows
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
		$(GO) build -o $(WINDOWS_TEST_BIN)/stillcast.exe .
	GOOS=windows GOARCH=amd64 $(GO) test -c -o $(WINDOWS_TEST_BIN)/ffmpeg.test.exe ./encoder/ffmpeg/
	WINE_PREFIX=$(WINE_PREFIX) .ci/windows/test.sh $(WINDOWS_TEST_BIN)/stillcast.exe \
		$(WINDOWS_TEST_BIN)/ffmpeg.test.exe $(WINFFMPEG_DIR)

deps-windows:
	$(call install-packages,$(WINDOWS_TEST_PACKAGES))

ffmpeg-windows: $(WINFFMPEG_DIR)/.complete
$(WINFFMPEG_DIR)/.complete:
	$(call fetch-npm-ffmpeg,$(WINFFMPEG_DIR),win32-x64,.exe)
	@touch "$@"

# Benchmarks compare Stillcast with the plain ffmpeg recipe in one run,
# so the ratios hold on a noisy machine. The window's run on Fyne's test
# driver, with no display.
bench: deps-test
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 60m ./encoder/
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 60m ./ui/

generate:
	$(GO) generate ./...

clean:
	rm -rf stillcast dist

# screenshot starts the real app on a virtual screen, as a first run with
# the bundled sample (a fresh, throwaway home folder), fits the window to
# the screen, waits until it has drawn and stopped changing, and saves
# docs/screenshot.png (LANG=C.UTF-8: English); then the same with
# LANG=zh_CN.UTF-8, the Chinese window, as docs/screenshot-zh.png
# (SCREENSHOT_ZH_OUT= skips it). Try
# SCREENSHOT_SIZE=1024x700 for a small screen; SCREENSHOT_ARGS are files
# to open (images and sound, as absolute paths), SCREENSHOT_OUT where to
# save it.
SCREENSHOT_SIZE   ?= 1280x800
SCREENSHOT_ARGS   ?=
SCREENSHOT_OUT    ?= docs/screenshot.png
SCREENSHOT_ZH_OUT ?= docs/screenshot-zh.png
SCREENSHOT_ENV    ?=
SCREENSHOT_BIN    := dist/screenshot/stillcast
screenshot: deps-test
	$(call install-packages,x11-utils xdotool)
	$(GO) build -o $(SCREENSHOT_BIN) .
	@mkdir -p docs
	$(call shoot,$(SCREENSHOT_OUT),C.UTF-8)
	$(if $(SCREENSHOT_ZH_OUT),$(call shoot,$(SCREENSHOT_ZH_OUT),zh_CN.UTF-8))

# shoot runs the window with LANG=$(2) in a fresh home and saves it as $(1).
define shoot
	@set -e; home=$$(mktemp -d); trap 'rm -rf "$$home"' EXIT; mkdir -p "$$home/Videos"; \
	HOME="$$home" XDG_CONFIG_HOME="$$home/.config" XDG_CACHE_HOME="$$home/.cache" LANG="$(2)" LANGUAGE= LC_ALL= \
	xvfb-run -a -s "-screen 0 $(SCREENSHOT_SIZE)x24 -nolisten tcp" sh -ec ' \
		$(SCREENSHOT_ENV) $(SCREENSHOT_BIN) $(SCREENSHOT_ARGS) >"$$HOME/app.log" 2>&1 & app=$$!; \
		trap "kill $$app 2>/dev/null; wait $$app 2>/dev/null || true" EXIT; \
		i=0; until xwininfo -name Stillcast >/dev/null 2>&1; do \
			i=$$((i+1)); [ $$i -le 120 ] || { echo "the window never appeared:" >&2; cat "$$HOME/app.log" >&2; exit 1; }; \
			sleep 0.5; \
		done; \
		set -- $$(xwininfo -name Stillcast | grep "Window id:"); \
		xdotool windowsize "$$4" $(subst x, ,$(SCREENSHOT_SIZE)); \
		sleep 2; prev=; same=0; \
		for i in $$(seq 1 40); do \
			import -window root "$$HOME/shot.png"; sum=$$(md5sum <"$$HOME/shot.png"); \
			if [ "$$sum" = "$$prev" ]; then same=$$((same+1)); else same=0; fi; \
			[ $$same -lt 2 ] || break; prev=$$sum; sleep 0.5; \
		done; \
		cp "$$HOME/shot.png" $(1)'
	@echo "Saved $(1) ($(SCREENSHOT_SIZE), LANG=$(2))"
endef

# screenshot-banner shoots the first run on a computer without ffmpeg:
# nothing on the app's PATH and nothing saved, so the window shows the
# banner that says so. SCREENSHOT_ENV holds an `env` command line.
.PHONY: screenshot-banner
screenshot-banner:
	@$(MAKE) --no-print-directory screenshot SCREENSHOT_ENV="env PATH=/nonexistent STILLCAST_FFMPEG=" \
		SCREENSHOT_OUT=docs/screenshot-banner.png SCREENSHOT_ZH_OUT=

# screenshot-blur shoots the blurred fill: the window with a square crop
# of the bundled sample at 1080p and "Blurred fill", chosen in the fresh
# home's Fyne preferences by a wrapper (written into dist/screenshot)
# before the app starts, saved as docs/screenshot-blur.png.
.PHONY: screenshot-blur
SCREENSHOT_BLUR_DIR := $(abspath dist/screenshot/blur)
screenshot-blur: deps-test
	@mkdir -p $(SCREENSHOT_BLUR_DIR)
	convert resources/sample.jpg -resize 1200x1200^ -gravity center -extent 1200x1200 $(SCREENSHOT_BLUR_DIR)/square.jpg
	@printf '%s\n' '#!/bin/sh' 'd="$$XDG_CONFIG_HOME/fyne/io.github.stillcast"; mkdir -p "$$d"' \
		"printf '%s' '{\"video.fit\":\"blur\",\"video.size\":\"1080p\"}' >\"\$$d/preferences.json\"" \
		'exec "$$@"' >$(SCREENSHOT_BLUR_DIR)/with-prefs
	@chmod +x $(SCREENSHOT_BLUR_DIR)/with-prefs
	@$(MAKE) --no-print-directory screenshot SCREENSHOT_ENV=$(SCREENSHOT_BLUR_DIR)/with-prefs \
		SCREENSHOT_ARGS=$(SCREENSHOT_BLUR_DIR)/square.jpg SCREENSHOT_OUT=docs/screenshot-blur.png SCREENSHOT_ZH_OUT=

# screenshot-live shoots the live panel: the window's own test binary
# (tag screenshot) on a virtual screen, streaming to two made-up
# destinations with five minutes of scripted statuses, saved as
# docs/screenshot-live.png. The binary is built first with the usual Go
# caches; only the window runs in a fresh home.
.PHONY: screenshot-live
SCREENSHOT_LIVE_OUT ?= docs/screenshot-live.png
screenshot-live: deps-test
	@mkdir -p dist/screenshot $(dir $(SCREENSHOT_LIVE_OUT))
	$(GO) test -c -tags screenshot -o dist/screenshot/ui.test ./ui/
	@set -e; home=$$(mktemp -d); trap 'rm -rf "$$home"' EXIT; out=$(abspath $(SCREENSHOT_LIVE_OUT)); \
	cd ui && HOME="$$home" XDG_CONFIG_HOME="$$home/.config" XDG_CACHE_HOME="$$home/.cache" LANG=C.UTF-8 LANGUAGE= LC_ALL= \
	STILLCAST_LIVE_SHOT="$$out" xvfb-run -a -s "-screen 0 $(SCREENSHOT_SIZE)x24 -nolisten tcp" ../dist/screenshot/ui.test
	@echo "Saved $(SCREENSHOT_LIVE_OUT)"

# screenshot-per-song shoots the song options: the same test binary
# (ui/screenshot_album_test.go) opens three songs of an album, each with
# its cover embedded (made with ffmpeg in the throwaway home), and
# chooses one video per song with the songs' own cover, saved as
# docs/screenshot-per-song.png.
.PHONY: screenshot-per-song
SCREENSHOT_SONGS_OUT ?= docs/screenshot-per-song.png
screenshot-per-song: deps-test
	@mkdir -p dist/screenshot $(dir $(SCREENSHOT_SONGS_OUT))
	$(GO) test -c -tags screenshot -o dist/screenshot/ui.test ./ui/
	@set -e; home=$$(mktemp -d); trap 'rm -rf "$$home"' EXIT; out=$(abspath $(SCREENSHOT_SONGS_OUT)); \
	cd ui && HOME="$$home" XDG_CONFIG_HOME="$$home/.config" XDG_CACHE_HOME="$$home/.cache" LANG=C.UTF-8 LANGUAGE= LC_ALL= \
	STILLCAST_ALBUM_SHOT="$$out" xvfb-run -a -s "-screen 0 $(SCREENSHOT_SIZE)x24 -nolisten tcp" ../dist/screenshot/ui.test
	@echo "Saved $(SCREENSHOT_SONGS_OUT)"

# package builds the Linux desktop package from FyneApp.toml: the binary,
# a .desktop launcher, the icon and a Makefile that installs them
# ("make user-install", or "sudo make install").
FYNE         := fyne.io/tools/cmd/fyne@v1.7.4
PACKAGE_NAME := Stillcast
package: deps-run
	@mkdir -p dist
	$(GO) run $(FYNE) package --target linux --release
	mv -f $(PACKAGE_NAME).tar.xz dist/
	@contents=$$(tar tJf dist/$(PACKAGE_NAME).tar.xz); \
	echo "$$contents" | grep -q 'share/applications/.*\.desktop$$' || { echo "the package has no .desktop launcher" >&2; exit 1; }; \
	echo "$$contents" | grep -q 'share/pixmaps/.*\.png$$' || { echo "the package has no icon" >&2; exit 1; }; \
	echo "$$contents" | grep -q 'bin/stillcast$$' || { echo "the package has no binary" >&2; exit 1; }
	@echo "Built dist/$(PACKAGE_NAME).tar.xz: unpack it and run 'make user-install' inside"

# headless builds the static stillcast without the window (render and
# live only, no Fyne, no cgo) for this machine, or for HEADLESS_OS and
# HEADLESS_ARCH: dist/stillcast-headless.
HEADLESS_OS   ?= $(shell $(GO) env GOOS)
HEADLESS_ARCH ?= $(shell $(GO) env GOARCH)
HEADLESS_BUILD = CGO_ENABLED=0 $(GO) build -tags headless -trimpath -ldflags "-s -w"
headless:
	@mkdir -p dist
	GOOS=$(HEADLESS_OS) GOARCH=$(HEADLESS_ARCH) $(HEADLESS_BUILD) -o dist/stillcast-headless .

# dist builds the release packages into dist/, named with the Version of
# FyneApp.toml: the .deb of the window build, the Windows zip (fyne
# package with mingw: icon and version info), and tarballs of the
# headless build for linux-amd64, linux-arm64 (with a systemd unit for a
# 24/7 stream), darwin-arm64 and darwin-amd64. test-dist checks them.
VERSION    := $(shell sed -n 's/^Version *= *"\(.*\)"$$/\1/p' FyneApp.toml)
MIMETYPES  := $(shell sed -n 's/^MimeTypes *= *"\(.*\)"$$/\1/p' FyneApp.toml)
DEB_ARCH   := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
DIST_STAGE := dist/stage
DIST_TARBALLS := linux-amd64 linux-arm64 darwin-arm64 darwin-amd64
DIST_PACKAGES := $(RUN_PACKAGES) binutils gcc-mingw-w64-x86-64 zip
dist: deps-dist dist-deb dist-windows dist-tarballs
	@ls -l dist/*.deb dist/*.zip dist/*.tar.gz

deps-dist:
	$(call install-packages,$(DIST_PACKAGES))

# The window build is the one `make build` and the tests make, so it
# comes from the build cache.
dist-deb:
	@set -e; pkg=stillcast_$(VERSION)_$(DEB_ARCH); root=$(DIST_STAGE)/$$pkg; \
	rm -rf "$$root"; mkdir -p "$$root/DEBIAN" "$$root/usr/bin" "$$root/usr/share/applications" \
		"$$root/usr/share/icons/hicolor/512x512/apps"; \
	$(GO) build -ldflags "-s -w" -o "$$root/usr/bin/stillcast" .; \
	sed 's|@MIMETYPES@|$(MIMETYPES)|' resources/dist/io.github.stillcast.desktop.in \
		>"$$root/usr/share/applications/io.github.stillcast.desktop"; \
	install -m 0644 resources/icon.png "$$root/usr/share/icons/hicolor/512x512/apps/io.github.stillcast.png"; \
	depends=$$(resources/dist/deb-depends.sh "$$root/usr/bin/stillcast"); \
	printf '%s\n' "Package: stillcast" "Version: $(VERSION)" "Architecture: $(DEB_ARCH)" \
		"Maintainer: Stillcast <stillcast@users.noreply.github.com>" "Section: video" "Priority: optional" \
		"Installed-Size: $$(du -sk "$$root/usr" | cut -f1)" "Depends: $$depends" \
		"Homepage: https://github.com/stillcast/stillcast" \
		"Description: turn a still image into a video file or a live stream" \
		" Renders a still image, a slideshow or a cover with a song into an MP4," \
		" or streams it to YouTube, Twitch, Facebook or any RTMP server, with ffmpeg." \
		>"$$root/DEBIAN/control"; \
	dpkg-deb --root-owner-group -Zxz --build "$$root" dist/$$pkg.deb >/dev/null; \
	echo "Built dist/$$pkg.deb (Depends: $$depends)"

# fyne package rebuilds with its own C flags and -trimpath, so its first
# run compiles Fyne's C code for Windows (8 to 13 minutes on two busy
# cores). It also counts Build up in FyneApp.toml, which is put back.
dist-windows:
	@set -e; name=stillcast-$(VERSION)-windows-amd64; dir=$(DIST_STAGE)/$$name; \
	GOBIN="$(CURDIR)/$(DIST_STAGE)/tools" $(GO) install $(FYNE); \
	cp FyneApp.toml $(DIST_STAGE)/FyneApp.toml.kept; rc=0; \
	CC=x86_64-w64-mingw32-gcc "$(DIST_STAGE)/tools/fyne" package --target windows --release || rc=$$?; \
	mv -f $(DIST_STAGE)/FyneApp.toml.kept FyneApp.toml; [ $$rc -eq 0 ]; \
	rm -rf "$$dir"; mkdir -p "$$dir"; mv -f $(PACKAGE_NAME).exe "$$dir/stillcast.exe"; \
	sed -e 's|@VERSION@|$(VERSION)|' -e 's|$$|\r|' resources/dist/READ-ME-FIRST.txt >"$$dir/READ-ME-FIRST.txt"; \
	rm -f dist/$$name.zip; (cd $(DIST_STAGE) && zip -qr ../$$name.zip $$name); \
	echo "Built dist/$$name.zip"

dist-tarballs:
	@set -e; for t in $(DIST_TARBALLS); do \
		os=$${t%-*}; arch=$${t#*-}; name=stillcast-$(VERSION)-$$t; dir=$(DIST_STAGE)/$$name; \
		rm -rf "$$dir"; mkdir -p "$$dir"; \
		GOOS=$$os GOARCH=$$arch $(HEADLESS_BUILD) -o "$$dir/stillcast" .; \
		service=""; \
		if [ $$os = linux ]; then \
			install -m 0644 resources/dist/stillcast-live.service "$$dir/"; \
			install -m 0600 resources/dist/stillcast-live.env "$$dir/"; \
			service="\nstillcast-live.service is a systemd unit for a 24/7 stream, with its\nkey in stillcast-live.env: the steps to install them are at its top.\n"; \
		fi; \
		sed -e 's|@VERSION@|$(VERSION)|' -e "s|@TARGET@|$$os/$$arch|" -e "s|@SERVICE@|$$service|" \
			resources/dist/README-headless.txt >"$$dir/README.txt"; \
		tar -C $(DIST_STAGE) --owner=0 --group=0 -czf dist/$$name.tar.gz $$name; \
		echo "Built dist/$$name.tar.gz"; \
	done

# test-dist builds the packages and checks them as a user would meet them
# (see .ci/dist/test.sh): it installs the .deb with dpkg (as root, or with
# sudo), renders with it, and removes it again.
DIST_TEST_PACKAGES := desktop-file-utils file unzip systemd
test-dist: dist
	$(call install-packages,$(DIST_TEST_PACKAGES))
	.ci/dist/test.sh $(VERSION) $(DEB_ARCH)
