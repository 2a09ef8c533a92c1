package encoder

// Tests of how Start deals with the ffmpeg it finds: one older than 4.1
// or without libx264 is refused, and one before 4.4 gets no -stats_period.

import (
	"context"
	"errors"
	"image"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
)

// versionFakes are fake ffmpeg programs that answer -version as a real
// build does (the outputs are the ffmpeg package's test data) and fail
// anything else: Start must refuse them before any encoding. Each logs
// its arguments, one run a line, to NAME.log.
var versionFakes = []struct {
	name, version string
	statsPeriod   bool // takes -stats_period, as 4.4 and later do
}{
	{"ffmpeg-4.0", "version-4.0.2.txt", false},
	{"ffmpeg-no-x264", "version-5.1-no-x264.txt", true},
}

// addVersionFakes adds the versionFakes to fakeScripts; TestMain writes
// them.
func addVersionFakes() error {
	for _, f := range versionFakes {
		out, err := os.ReadFile(filepath.Join("ffmpeg", "testdata", f.version))
		if err != nil {
			return err
		}
		body := "echo \"$*\" >>\"$0.log\"\n"
		if !f.statsPeriod {
			body += `case " $* " in *" -stats_period "*)
	echo "Unrecognized option 'stats_period'." >&2
	echo "Error splitting the argument list: Option not found" >&2
	exit 1 ;;
esac
`
		}
		body += `case " $* " in *" -version "*) cat <<'EOF'
` + string(out) + `EOF
	exit 0 ;;
esac
echo "this fake ffmpeg only answers -version" >&2
exit 1
`
		fakeScripts[f.name] = body
	}
	return nil
}

// TestStartRefusesFFmpegItCannotUse: Start refuses an ffmpeg older than
// 4.1, or one without libx264, with a field error for ffmpeg that names
// the version found and what is needed, having run it only to ask its
// version, and leaving nothing behind.
func TestStartRefusesFFmpegItCannotUse(t *testing.T) {
	tests := []struct {
		fake, want string
	}{
		{"ffmpeg-4.0", "ffmpeg 4.0.2 at " + fakeFFmpeg("ffmpeg-4.0") + " is too old: Stillcast needs ffmpeg 4.1 or newer"},
		{"ffmpeg-no-x264", "this ffmpeg (5.1.6-0+deb12u1 at " + fakeFFmpeg("ffmpeg-no-x264") + ") was built without libx264, " +
			"which Stillcast needs to encode H.264: install a full build of ffmpeg"},
	}
	for _, tt := range tests {
		for _, live := range []bool{false, true} {
			name := tt.fake + map[bool]string{false: "/render", true: "/live"}[live]
			t.Run(name, func(t *testing.T) {
				tmp := isolateTemp(t)
				dir := t.TempDir()
				out := filepath.Join(dir, "out")
				os.Mkdir(out, 0o755)
				s := testSettings(writePNG(t, dir, "in.png", solidImage(16, 16, tRed)), filepath.Join(out, "v.mp4"))
				if live {
					s.Output, s.Duration = "", 0
					s.Live = Live{Destinations: []Destination{{URL: "rtmp://127.0.0.1:1/live", Key: "k"}}}
				}
				s.FFmpeg = fakeFFmpeg(tt.fake)
				os.Remove(s.FFmpeg + ".log")
				j, err := Start(context.Background(), s)
				if err == nil {
					j.Cancel()
					j.Wait()
					t.Fatal("Start accepted it")
				}
				fields := FieldErrors(err)
				if len(fields) != 1 || fields[0].Field != "ffmpeg" || fields[0].Err.Error() != tt.want {
					t.Fatalf("Start = %v\nwant one field error for ffmpeg: %s", err, tt.want)
				}
				logged, _ := os.ReadFile(s.FFmpeg + ".log")
				for _, run := range strings.Split(strings.TrimSpace(string(logged)), "\n") {
					if !strings.HasSuffix(run, " -version") {
						t.Errorf("ffmpeg was run with %q: only -version was wanted", run)
					}
				}
				checkDirHolds(t, out)
				checkDirHolds(t, dir, "in.png", "out")
				if left := stillcastTemps(t, tmp); len(left) > 0 {
					t.Errorf("temporary folders left: %v", left)
				}
				checkNoLeftoverProcesses(t, []string{dir, tmp})
			})
		}
	}
}

// TestCheckBuild covers what is refused and how it is worded, for
// releases and builds from git.
func TestCheckBuild(t *testing.T) {
	t.Parallel()
	const bin = "/opt/ffmpeg"
	release := func(v string, major, minor int) ffmpeg.Build {
		return ffmpeg.Build{Version: v, Release: ffmpeg.Release{Major: major, Minor: minor}, Known: true, Libx264: true}
	}
	tests := []struct {
		name string
		b    ffmpeg.Build
		want string // "" for accepted
	}{
		{"4.1", release("4.1", 4, 1), ""},
		{"4.4", release("4.4.2-0ubuntu0.22.04.1", 4, 4), ""},
		{"7.1", release("7.1.1", 7, 1), ""},
		{"unknown age", ffmpeg.Build{Version: "N-1-g2", Libx264: true}, ""},
		{"4.0.2", release("4.0.2", 4, 0), "ffmpeg 4.0.2 at /opt/ffmpeg is too old: Stillcast needs ffmpeg 4.1 or newer"},
		{"3.4", release("3.4.11", 3, 4), "ffmpeg 3.4.11 at /opt/ffmpeg is too old: Stillcast needs ffmpeg 4.1 or newer"},
		{"git build of 4.0", ffmpeg.Build{Version: "N-91000-gabc", Libavutil: "56.14.100", Release: ffmpeg.Release{Major: 4}, Known: true, Libx264: true},
			"ffmpeg N-91000-gabc (libavutil 56.14, as in ffmpeg 4.0) at /opt/ffmpeg is too old: Stillcast needs ffmpeg 4.1 or newer"},
		{"no libx264", ffmpeg.Build{Version: "5.1.6", Release: ffmpeg.Release{Major: 5, Minor: 1}, Known: true},
			"this ffmpeg (5.1.6 at /opt/ffmpeg) was built without libx264, which Stillcast needs to encode H.264: install a full build of ffmpeg"},
		// Too old is said first: a newer build is needed anyway.
		{"old and no libx264", ffmpeg.Build{Version: "4.0", Release: ffmpeg.Release{Major: 4}, Known: true},
			"ffmpeg 4.0 at /opt/ffmpeg is too old: Stillcast needs ffmpeg 4.1 or newer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkBuild(tt.b, bin)
			if tt.want == "" {
				if err != nil {
					t.Errorf("checkBuild = %v, want it accepted", err)
				}
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "ffmpeg" || fe.Err.Error() != tt.want {
				t.Errorf("checkBuild = %v\nwant ffmpeg: %s", err, tt.want)
			}
		})
	}
}

// TestPlansLeaveStatsPeriodOutBefore44: every ffmpeg run that reports
// progress asks for it every so often with -stats_period, except on an
// ffmpeg before 4.4, which has no such option; both ask for the progress.
func TestPlansLeaveStatsPeriodOutBefore44(t *testing.T) {
	t.Parallel()
	song := AudioInfo{Path: "/m/song.mp3", Codec: "mp3", Duration: 61 * time.Second}
	for _, old := range []bool{false, true} {
		f := facts{FFmpeg: limitsOf(ffmpeg.Build{StatsPeriod: !old}), Tracks: []AudioInfo{song}, Image: image.Pt(640, 480)}
		s := DefaultSettings()
		s.Images, s.Output, s.Duration, s.Audio = SlidesOf("/i/a.png"), "/v/song.mp4", 0, []string{song.Path}
		p, err := planRender(s, f)
		if err != nil || p.Still == nil {
			t.Fatalf("planRender: %v (still path %v)", err, p.Still != nil)
		}
		s.Output, s.Audio = "", nil
		s.Live = Live{Destinations: []Destination{{URL: "rtmp://h/live", Key: "k"}}}
		lp := planLive(s, facts{FFmpeg: f.FFmpeg, Image: f.Image}).Encode
		runs := map[string][]string{
			"every frame":  ffmpegArgs(p.Encode),
			"still parts":  ffmpegArgs(p.Still.segmentEncode(p.Encode, "/w")),
			"assemble":     assembleArgs(p.Still.Assemble),
			"live segment": segmentArgs(lp, "/w/segment.h264"),
		}
		for name, args := range runs {
			_, progress := optAfter(args, "-progress", 0)
			_, nostats := optAfter(args, "-nostats", 0)
			period, at := optAfter(args, "-stats_period", 0)
			switch {
			case progress < 0 || args[progress+1] != "pipe:1" || nostats < 0:
				t.Errorf("%s (old %v): no -progress pipe:1 -nostats in %q", name, old, args)
			case old && at >= 0:
				t.Errorf("%s: -stats_period %s for an ffmpeg before 4.4", name, period)
			case !old && period != progressInterval:
				t.Errorf("%s: -stats_period %q on a modern ffmpeg", name, period)
			}
		}
		if !slices.Contains(runs["live segment"], "-an") {
			t.Errorf("live segment (old %v): the rest of the arguments went missing: %q", old, runs["live segment"])
		}
	}
}
