package cli

import (
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/ui/saved"
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
		found := map[string]string{"too old": "ffmpeg 4.0.2 at " + fake + " ", "no libx264": "this ffmpeg (5.1.6-0+deb12u1 at " + fake + ") "}[tt.name]
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

// TestRenderUsesTheSavedFFmpeg: with no --ffmpeg, no $STILLCAST_FFMPEG
// and no ffmpeg on PATH, render uses the ffmpeg the window saved; when
// that is gone, the one line says it was the saved one and how to change
// it. Not parallel: it changes PATH and the configuration folder.
func TestRenderUsesTheSavedFFmpeg(t *testing.T) {
	real, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Fatal("the tests need ffmpeg on PATH:", err)
	}
	ffprobe, err := exec.LookPath("ffprobe")
	if err != nil {
		t.Fatal("the tests need ffprobe on PATH:", err)
	}
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv(encoder.FFmpegEnv, "")
	t.Setenv("PATH", t.TempDir())
	store, err := saved.DefaultStore()
	if err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(dir, "in.png")
	writePNG(t, img, 32, 24, color.White)

	t.Run("render", func(t *testing.T) {
		if err := store.Save(saved.Settings{FFmpeg: real}); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "out.mp4")
		code, _, stderr := run(t, "render", img, "-o", out, "--duration", "1s", "--preset", "ultrafast", "--progress", "plain")
		if code != ExitOK {
			t.Fatalf("exit %d; stderr: %s", code, stderr)
		}
		got, err := exec.Command(ffprobe, "-v", "error", "-select_streams", "v", "-count_frames",
			"-show_entries", "stream=codec_name,nb_read_frames", "-of", "csv=p=0", out).Output()
		if err != nil {
			t.Fatalf("ffprobe %s: %v", out, err)
		}
		if want := "h264,25"; strings.TrimSpace(string(got)) != want {
			t.Errorf("ffprobe: %q, want %q", got, want)
		}
	})
	t.Run("gone", func(t *testing.T) {
		gone := filepath.Join(dir, "moved", "ffmpeg")
		if err := store.Save(saved.Settings{FFmpeg: gone}); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "gone.mp4")
		code, _, stderr := runWithin(t, time.Minute, "render", img, "-o", out)
		if code != ExitUsage {
			t.Fatalf("exit %d, want %d; stderr: %s", code, ExitUsage, stderr)
		}
		want := "stillcast: the saved ffmpeg setting points at “" + gone + "”, which does not exist " +
			"(this ffmpeg was chosen in Stillcast's window and saved in " + store.Path + ": choose another there, or give --ffmpeg)\n"
		if stderr != want {
			t.Errorf("stderr = %q\n   want %q", stderr, want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s was written", out)
		}
	})
}

// Ctrl-C while Start still asks ffmpeg what it is (slow under Wine, or on
// a cold disk) is an interruption, exit 130, not a failure.
func TestCtrlCWhileCheckingFFmpegIsAnInterruption(t *testing.T) {
	dir := t.TempDir()
	img, out := filepath.Join(dir, "in.png"), filepath.Join(dir, "out.mp4")
	writePNG(t, img, 16, 16, color.White)
	slow := filepath.Join(dir, "ffmpeg")
	if err := os.WriteFile(slow, []byte("#!/bin/sh\nexec sleep 10\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	commands := map[string][]string{
		"render": {"render", img, "-o", out, "--ffmpeg", slow},
		"live":   {"live", img, "--url", "rtmp://127.0.0.1:1/live", "--key", "k", "--ffmpeg", slow},
	}
	for _, cmd := range []string{"render", "live"} {
		t.Run(cmd, func(t *testing.T) {
			start := time.Now()
			code, _, stderr := runWithin(t, 300*time.Millisecond, commands[cmd]...)
			if code != ExitInterrupted {
				t.Fatalf("exit %d, want %d; stderr: %s", code, ExitInterrupted, stderr)
			}
			if want := "stillcast: interrupted before it started; nothing was written\n"; stderr != want {
				t.Errorf("stderr = %q, want %q", stderr, want)
			}
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("took %v to stop", took)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("%s exists after the interruption (%v)", out, err)
			}
		})
	}
}
