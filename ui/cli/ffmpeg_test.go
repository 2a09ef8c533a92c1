package cli

import (
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// versionFake writes a fake ffmpeg at dir/ffmpeg that answers -version
// with the encoder's test data file version (a real build's output), and
// refuses -stats_period when the build is older than 4.4. Anything else
// it fails: the CLI must refuse it before encoding.
func versionFake(t *testing.T, dir, version string, statsPeriod bool) string {
	t.Helper()
	out, err := os.ReadFile(filepath.Join("..", "..", "encoder", "ffmpeg", "testdata", version))
	if err != nil {
		t.Fatal(err)
	}
	script := "#!/bin/sh\n"
	if !statsPeriod {
		script += `case " $* " in *" -stats_period "*) echo "Unrecognized option 'stats_period'." >&2; exit 1 ;; esac
`
	}
	script += "case \" $* \" in *\" -version \"*) cat <<'EOF'\n" + string(out) + "EOF\n\texit 0 ;;\nesac\n" +
		"echo 'this fake ffmpeg only answers -version' >&2\nexit 1\n"
	path := filepath.Join(dir, "ffmpeg")
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestUnusableFFmpegExitsTwo: an ffmpeg older than 4.1, or one without
// libx264, is bad input: exit 2, one line that names --ffmpeg, the
// version found and what is needed, and nothing written.
func TestUnusableFFmpegExitsTwo(t *testing.T) {
	tests := []struct {
		name, version string
		statsPeriod   bool
		want          string
	}{
		{"too old", "version-4.0.2.txt", false, "is too old: Stillcast needs ffmpeg 4.1 or newer"},
		{"no libx264", "version-5.1-no-x264.txt", true, "was built without libx264, which Stillcast needs to encode H.264: install a full build of ffmpeg"},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		img, out := filepath.Join(dir, "in.png"), filepath.Join(dir, "out.mp4")
		writePNG(t, img, 16, 16, color.White)
		fake := versionFake(t, dir, tt.version, tt.statsPeriod)
		found := map[string]string{"too old": "--ffmpeg: ffmpeg 4.0.2 at " + fake + " ", "no libx264": "--ffmpeg: this ffmpeg (5.1.6-0+deb12u1 at " + fake + ") "}[tt.name]
		commands := map[string][]string{
			"render": {"render", img, "-o", out, "--ffmpeg", fake},
			"live":   {"live", img, "--url", "rtmp://127.0.0.1:1/live", "--key", "k", "--ffmpeg", fake},
		}
		for _, cmd := range []string{"render", "live"} {
			t.Run(tt.name+"/"+cmd, func(t *testing.T) {
				code, stdout, stderr := runWithin(t, time.Minute, commands[cmd]...)
				if code != ExitUsage {
					t.Fatalf("exit %d, want %d; stderr: %s", code, ExitUsage, stderr)
				}
				if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
					t.Errorf("stderr is not one line: %q", stderr)
				}
				if want := "stillcast: " + found + tt.want + "\n"; stderr != want {
					t.Errorf("stderr = %q\n   want %q", stderr, want)
				}
				if stdout != "" {
					t.Errorf("stdout = %q, want nothing", stdout)
				}
				if names := listDir(t, dir); !slices.Equal(names, []string{"ffmpeg", "in.png"}) {
					t.Errorf("folder holds %v", names)
				}
			})
		}
	}
}
