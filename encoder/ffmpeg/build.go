package ffmpeg

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Release is an ffmpeg release line, such as 4.1 or 5.1.
type Release struct{ Major, Minor int }

func (r Release) String() string { return fmt.Sprintf("%d.%d", r.Major, r.Minor) }

// Before reports whether r is an older release than o.
func (r Release) Before(o Release) bool {
	return r.Major < o.Major || r.Major == o.Major && r.Minor < o.Minor
}

// Build is what an ffmpeg binary says of itself with -version.
type Build struct {
	// Version is what it calls itself: "5.1.6-0+deb12u1" for a release,
	// "N-47683-g0e8eb07980" for a build from git.
	Version string
	// Libavutil is the version of its libavutil, "56.22.100"; "" when it
	// printed none.
	Libavutil string
	// Release is the release it is, or for a build from git the last
	// release its libavutil had reached. Known is false when neither the
	// version nor libavutil tells.
	Release Release
	Known   bool
	// Libx264 says it can encode H.264 with libx264: its configuration
	// enables it. A build that prints no configuration is taken to have it.
	Libx264 bool
	// StatsPeriod says it takes -stats_period (ffmpeg 4.4 and later): a
	// feature test, not read from -version.
	StatsPeriod bool
}

// OlderThan reports whether b is known to be older than release r.
func (b Build) OlderThan(r Release) bool { return b.Known && b.Release.Before(r) }

// Describe names the build for a person: its version, and for a build
// from git which release it stands for.
func (b Build) Describe() string {
	if _, ok := releaseOfVersion(b.Version); ok || b.Libavutil == "" {
		return b.Version
	}
	short := b.Libavutil
	if i := strings.LastIndexByte(short, '.'); i > 0 {
		short = short[:i]
	}
	if b.Release == (Release{}) {
		return fmt.Sprintf("%s (libavutil %s, older than ffmpeg %s)", b.Version, short, avutilReleases[0].release)
	}
	return fmt.Sprintf("%s (libavutil %s, as in ffmpeg %s)", b.Version, short, b.Release)
}

// avutilReleases maps the libavutil version that each release shipped to
// the release, oldest first (from each release's libavutil/version.h).
var avutilReleases = []struct {
	major, minor int
	release      Release
}{
	{55, 17, Release{3, 0}}, {55, 27, Release{3, 1}}, {55, 34, Release{3, 2}},
	{55, 58, Release{3, 3}}, {55, 78, Release{3, 4}},
	{56, 14, Release{4, 0}}, {56, 22, Release{4, 1}}, {56, 31, Release{4, 2}},
	{56, 51, Release{4, 3}}, {56, 70, Release{4, 4}},
	{57, 17, Release{5, 0}}, {57, 28, Release{5, 1}},
	{58, 2, Release{6, 0}}, {58, 29, Release{6, 1}},
	{59, 8, Release{7, 0}}, {59, 39, Release{7, 1}},
	{60, 8, Release{8, 0}},
}

// ReleaseOfLibavutil is the last release whose libavutil is no newer than
// major.minor. A libavutil older than the oldest one known gives the zero
// Release; a newer one than the newest, the newest.
func ReleaseOfLibavutil(major, minor int) Release {
	var r Release
	for _, e := range avutilReleases {
		if major < e.major || major == e.major && minor < e.minor {
			break
		}
		r = e.release
	}
	return r
}

var (
	// "ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 the FFmpeg developers"
	versionLine = regexp.MustCompile(`^ffmpeg version (\S+)`)
	// "libavutil      56. 22.100 / 56. 22.100"
	avutilLine = regexp.MustCompile(`(?m)^libavutil\s+(\d+)\.\s*(\d+)\.\s*(\d+)`)
	// A release's own version: "4.1", "4.4.2-0ubuntu0.22.04.1", "n6.0"
	releaseVersion = regexp.MustCompile(`^n?(\d+)\.(\d+)`)
)

// errNotFFmpeg says that what answered -version is no ffmpeg.
var errNotFFmpeg = errors.New("its -version output does not begin with \"ffmpeg version\"")

// ParseVersion reads the output of `ffmpeg -hide_banner -version`. It
// leaves StatsPeriod false: that takes a feature test.
func ParseVersion(out string) (Build, error) {
	out = strings.ReplaceAll(out, "\r\n", "\n")
	m := versionLine.FindStringSubmatch(out)
	if m == nil {
		return Build{}, errNotFFmpeg
	}
	b := Build{Version: m[1], Libx264: true}
	if av := avutilLine.FindStringSubmatch(out); av != nil {
		major, _ := strconv.Atoi(av[1])
		minor, _ := strconv.Atoi(av[2])
		b.Libavutil = av[1] + "." + av[2] + "." + av[3]
		b.Release, b.Known = ReleaseOfLibavutil(major, minor), true
	} else {
		b.Release, b.Known = releaseOfVersion(b.Version)
	}
	for _, line := range strings.Split(out, "\n") {
		if conf, ok := strings.CutPrefix(line, "configuration:"); ok {
			b.Libx264 = hasFlag(conf, "--enable-libx264")
		}
	}
	return b, nil
}

// releaseOfVersion reads the release from a version such as "4.4.2-…";
// a build from git ("N-…", "2023-03-05-git-…") names none.
func releaseOfVersion(v string) (Release, bool) {
	m := releaseVersion.FindStringSubmatch(v)
	if m == nil {
		return Release{}, false
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	return Release{major, minor}, true
}

// hasFlag reports whether a configure command line holds flag as a word.
func hasFlag(conf, flag string) bool {
	for _, f := range strings.Fields(conf) {
		if f == flag {
			return true
		}
	}
	return false
}
