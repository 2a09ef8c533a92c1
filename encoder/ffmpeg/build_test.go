package ffmpeg

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gitVersion is a build from git: its version names no release, so its
// libavutil tells how old it is.
func gitVersion(name, avutil, conf string) string {
	return "ffmpeg version " + name + " Copyright (c) 2000-2019 the FFmpeg developers\n" +
		"built with gcc 6.3.0 (Debian 6.3.0-18+deb9u1) 20170516\n" +
		"configuration: " + conf + "\n" +
		"libavutil      " + avutil + " / " + avutil + "\n" +
		"libavcodec     58. 35.100 / 58. 35.100\n"
}

func testdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseVersion(t *testing.T) {
	t.Parallel()
	const x264 = "--enable-gpl --enable-libx264 --enable-static"
	tests := []struct {
		name      string
		out       string
		version   string
		libavutil string
		release   Release
		known     bool
		libx264   bool
		describe  string
	}{
		{"Debian 12", testdata(t, "version-debian-5.1.txt"), "5.1.9-0+deb12u1", "57.28.100", Release{5, 1}, true, true, "5.1.9-0+deb12u1"},
		{"4.0.2", testdata(t, "version-4.0.2.txt"), "4.0.2", "56.14.100", Release{4, 0}, true, true, "4.0.2"},
		{"without libx264", testdata(t, "version-5.1-no-x264.txt"), "5.1.6-0+deb12u1", "57.28.100", Release{5, 1}, true, false, "5.1.6-0+deb12u1"},
		{"static git build of 4.1", testdata(t, "version-static-4.1.txt"), "N-47683-g0e8eb07980-static", "56.24.101", Release{4, 1}, true, true,
			"N-47683-g0e8eb07980-static (libavutil 56.24, as in ffmpeg 4.1)"},
		{"git build at 4.1", gitVersion("N-1-g1", "56. 22.100", x264), "N-1-g1", "56.22.100", Release{4, 1}, true, true,
			"N-1-g1 (libavutil 56.22, as in ffmpeg 4.1)"},
		{"git build of 4.0", gitVersion("N-91000-gabcdef", "56. 14.100", x264), "N-91000-gabcdef", "56.14.100", Release{4, 0}, true, true,
			"N-91000-gabcdef (libavutil 56.14, as in ffmpeg 4.0)"},
		{"git build between 4.3 and 4.4", gitVersion("N-99000-g123", "56. 60.100", x264), "N-99000-g123", "56.60.100", Release{4, 3}, true, true,
			"N-99000-g123 (libavutil 56.60, as in ffmpeg 4.3)"},
		{"gyan.dev git build", gitVersion("2023-03-05-git-912ac82a3c-full_build-www.gyan.dev", "58.  3.100", x264),
			"2023-03-05-git-912ac82a3c-full_build-www.gyan.dev", "58.3.100", Release{6, 0}, true, true,
			"2023-03-05-git-912ac82a3c-full_build-www.gyan.dev (libavutil 58.3, as in ffmpeg 6.0)"},
		{"older than 3.0", gitVersion("N-70000-g1", "54. 31.100", x264), "N-70000-g1", "54.31.100", Release{}, true, true,
			"N-70000-g1 (libavutil 54.31, older than ffmpeg 3.0)"},
		{"newer than any known", gitVersion("N-130000-g1", "61.  3.100", x264), "N-130000-g1", "61.3.100", Release{8, 0}, true, true,
			"N-130000-g1 (libavutil 61.3, as in ffmpeg 8.0)"},
		{"git build without x264", gitVersion("N-1-g2", "57. 28.100", "--enable-gpl --enable-libx265"), "N-1-g2", "57.28.100", Release{5, 1}, true, false,
			"N-1-g2 (libavutil 57.28, as in ffmpeg 5.1)"},
		// Without a libavutil line, a release's version still tells; a
		// git build's does not. Without a configuration line, libx264 is
		// taken to be there.
		{"version line only", "ffmpeg version 4.4.2-0ubuntu0.22.04.1 Copyright (c) 2000-2021 the FFmpeg developers\n",
			"4.4.2-0ubuntu0.22.04.1", "", Release{4, 4}, true, true, "4.4.2-0ubuntu0.22.04.1"},
		{"release tag", "ffmpeg version n6.1.1 Copyright (c) 2000-2023 the FFmpeg developers\n", "n6.1.1", "", Release{6, 1}, true, true, "n6.1.1"},
		{"git, version line only", "ffmpeg version N-12345-gdeadbeef Copyright\n", "N-12345-gdeadbeef", "", Release{}, false, true, "N-12345-gdeadbeef"},
		{"Windows line ends", strings.ReplaceAll(testdata(t, "version-4.0.2.txt"), "\n", "\r\n"), "4.0.2", "56.14.100", Release{4, 0}, true, true, "4.0.2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := ParseVersion(tt.out)
			if err != nil {
				t.Fatal(err)
			}
			want := Build{Version: tt.version, Libavutil: tt.libavutil, Release: tt.release, Known: tt.known, Libx264: tt.libx264}
			if b != want {
				t.Errorf("ParseVersion = %+v\n            want %+v", b, want)
			}
			if d := b.Describe(); d != tt.describe {
				t.Errorf("Describe = %q, want %q", d, tt.describe)
			}
		})
	}
}

func TestParseVersionRefusesOtherPrograms(t *testing.T) {
	t.Parallel()
	for _, out := range []string{
		"",
		"avconv version 12.3, Copyright (c) 2000-2018 the Libav developers\n",
		"Something specific failed\n",
		"ffprobe version 5.1.6 Copyright (c) 2007-2024 the FFmpeg developers\n",
	} {
		if b, err := ParseVersion(out); err == nil {
			t.Errorf("ParseVersion(%q) = %+v, want an error", out, b)
		}
	}
}

func TestReleaseOfLibavutil(t *testing.T) {
	t.Parallel()
	tests := []struct {
		major, minor int
		want         Release
	}{
		{55, 16, Release{}},
		{55, 17, Release{3, 0}},
		{56, 13, Release{3, 4}},
		{56, 14, Release{4, 0}},
		{56, 21, Release{4, 0}},
		{56, 22, Release{4, 1}},
		{56, 69, Release{4, 3}},
		{56, 70, Release{4, 4}},
		{57, 0, Release{4, 4}},
		{57, 17, Release{5, 0}},
		{57, 28, Release{5, 1}},
		{58, 2, Release{6, 0}},
		{59, 39, Release{7, 1}},
		{60, 8, Release{8, 0}},
		{99, 0, Release{8, 0}},
	}
	for _, tt := range tests {
		if got := ReleaseOfLibavutil(tt.major, tt.minor); got != tt.want {
			t.Errorf("ReleaseOfLibavutil(%d, %d) = %v, want %v", tt.major, tt.minor, got, tt.want)
		}
	}
}

func TestOlderThan(t *testing.T) {
	t.Parallel()
	v41 := Release{4, 1}
	tests := []struct {
		b    Build
		want bool
	}{
		{Build{Release: Release{4, 0}, Known: true}, true},
		{Build{Release: Release{3, 4}, Known: true}, true},
		{Build{Release: Release{}, Known: true}, true}, // older than 3.0
		{Build{Release: Release{4, 1}, Known: true}, false},
		{Build{Release: Release{4, 4}, Known: true}, false},
		{Build{Release: Release{5, 0}, Known: true}, false},
		{Build{}, false}, // unknown: not known to be old
	}
	for _, tt := range tests {
		if got := tt.b.OlderThan(v41); got != tt.want {
			t.Errorf("%+v.OlderThan(4.1) = %v, want %v", tt.b, got, tt.want)
		}
	}
}

// FuzzParseVersion: whatever a program prints, ParseVersion does not
// panic, and what it accepts names a version.
func FuzzParseVersion(f *testing.F) {
	f.Add(testdata(f, "version-debian-5.1.txt"))
	f.Add(testdata(f, "version-4.0.2.txt"))
	f.Add(testdata(f, "version-static-4.1.txt"))
	f.Add(gitVersion("N-1-g2", "56. 22.100", "--enable-libx264"))
	f.Add("ffmpeg version \nlibavutil 999999999999999999999.1.1\n")
	f.Fuzz(func(t *testing.T, out string) {
		b, err := ParseVersion(out)
		if err == nil && b.Version == "" {
			t.Errorf("ParseVersion(%q) accepted it without a version", out)
		}
	})
}
