package encoder

// Jobs: events, cancelling, failing ffmpegs, output safety, concurrency.
// Tests that set the environment or scan for processes are not parallel:
// Go clips them before any parallel test starts, so the only ffmpeg
// children alive are their own.

import (
	"context"
	"errors"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
)

// TestEvents renders long enough to watch the events: Started first, then
// one Progress for every report ffmpeg makes (each run is asked for one
// every progressInterval), with frames that never go back within a phase
// and a fraction that never goes back at all, then Finished, then the
// channel closes. Both render paths. ffmpeg runs through the tee-progress
// wrapper, so the events are counted against ffmpeg's own reports, not
// against the wall clock: a busy machine makes ffmpeg report less often,
// which no correct program can help, but every report must still arrive.
// Not parallel: it sets the environment for the wrapper.
func TestEvents(t *testing.T) {
	needFFmpeg(t)
	tests := []struct {
		name     string
		noFast   bool
		duration time.Duration
		concat   bool
	}{
		{"per-frame", true, 24 * time.Second, false},
		{"still", false, 90 * time.Minute, false},
		{"still by concat", false, 10 * time.Minute, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := isolateTemp(t)
			dir := t.TempDir()
			logs := t.TempDir()
			img := writeJPEG(t, dir, "in.jpg", colorCard(320, 180))
			out := filepath.Join(dir, "events.mp4")
			s := testSettings(img, out)
			s.Size = NamedSizes()[1] // 720p
			s.Duration = tt.duration
			s.NoFastPath, s.concatPath = tt.noFast, tt.concat
			s.Force = true
			s.FFmpeg = TeeFFmpeg()
			t.Setenv(TeeFFmpegEnv, ffmpegBin)
			// On a machine so fast that ffmpeg reported only a few times,
			// render again for longer, so the events have a course to
			// check. A slow machine only makes more reports.
			const enough = 6
			var evs []timedEvent
			var runs []TeeRun
			var took time.Duration
			for try := 0; ; try++ {
				log := filepath.Join(logs, "try"+strconv.Itoa(try)+".log")
				t.Setenv(TeeLogEnv, log)
				began := time.Now()
				evs = renderOK(t, s)
				took = time.Since(began)
				runs = ReadTeeLog(t, log)
				if TeeReports(runs) >= enough || try == 2 || s.Duration == MaxDuration {
					break
				}
				s.Duration = min(MaxDuration, s.Duration*4)
				t.Logf("ffmpeg reported %d times in %v; again with %v of video", TeeReports(runs), took, s.Duration)
			}
			total := s.TotalFrames()
			checkEvents(t, evs, runs, out, total, took)
			if fin := lastFinished(t, evs); fin.Duration != s.Duration {
				t.Errorf("Finished.Duration = %v, want %v", fin.Duration, s.Duration)
			}
			pr := ffprobeJSON(t, out, false)
			if d, err := strconv.ParseFloat(pr.Format.Duration, 64); err != nil || math.Abs(d-s.Duration.Seconds()) > 0.05 {
				t.Errorf("video lasts %s s, want %v", pr.Format.Duration, s.Duration)
			}
			checkDirHolds(t, dir, "events.mp4", "in.jpg")
			if left := stillcastTemps(t, tmp); len(left) > 0 {
				t.Errorf("temporary folders left in %s: %v", tmp, left)
			}
			checkNoLeftoverProcesses(t, []string{dir, tmp})
		})
	}
}

// checkEvents checks the events of a successful 720p, 25 fps render of
// total frames to out that took took, against the runs of ffmpeg that the
// tee-progress wrapper saw: each run asked for a report every
// progressInterval, and each report, in order, became one Progress of the
// run's phase with the frame number that ffmpeg reported. Nothing here
// depends on how fast the machine is.
func checkEvents(t *testing.T, evs []timedEvent, runs []TeeRun, out string, total int, took time.Duration) {
	t.Helper()
	st, ok := evs[0].Event.(Started)
	if !ok {
		t.Fatalf("first event is %T, want Started", evs[0].Event)
	}
	if st != (Started{Output: out, Width: 1280, Height: 720, FPS: 25, TotalFrames: total}) {
		t.Errorf("Started = %+v", st)
	}
	fin := lastFinished(t, evs)
	var progress []Progress
	var prev Progress
	for i, ev := range evs[1 : len(evs)-1] {
		p, ok := ev.Event.(Progress)
		if !ok {
			t.Fatalf("event %d is %T between Started and Finished", i+1, ev.Event)
		}
		if p.TotalFrames <= 0 || p.TotalFrames > total || p.Frame < 0 || p.Frame > p.TotalFrames ||
			p.Fraction < 0 || p.Fraction > 1 || p.ETA < 0 || p.FPS < 0 {
			t.Errorf("progress out of range: %+v", p)
		}
		if p.Phase == PhaseAssemble && p.TotalFrames != total {
			t.Errorf("assembling %d frames, want %d", p.TotalFrames, total)
		}
		if len(progress) > 0 {
			switch {
			case p.Phase < prev.Phase:
				t.Errorf("phase went back: %+v after %+v", p, prev)
			case p.Phase == prev.Phase && (p.Frame < prev.Frame || p.TotalFrames != prev.TotalFrames):
				t.Errorf("frames went back: %+v after %+v", p, prev)
			}
			if p.Fraction < prev.Fraction || p.Elapsed < prev.Elapsed {
				t.Errorf("fraction or elapsed time went back: %+v after %+v", p, prev)
			}
		}
		progress = append(progress, p)
		prev = p
	}
	if len(progress) < 3 {
		t.Fatalf("only %d Progress events", len(progress))
	}
	first := progress[0]
	if prev.Frame != total || prev.TotalFrames != total || prev.Fraction != 1 || prev.ETA != 0 {
		t.Errorf("last Progress %+v, want all %d frames done", prev, total)
	}
	if prev.Frame <= first.Frame {
		t.Errorf("frames did not increase: %+v … %+v", first, prev)
	}

	// Every report ffmpeg made, and nothing else, in order. The per-frame
	// path is one run; the still path encodes, then assembles: by a
	// second run, or, for a silent MP4 of one still, by the Go writer,
	// whose reports follow the encode's.
	phases := []Phase{PhaseEncode}
	goWriter := prev.Phase == PhaseAssemble && len(runs) == 1
	if prev.Phase == PhaseAssemble && !goWriter {
		phases = append(phases, PhaseAssemble)
	}
	if len(runs) != len(phases) {
		t.Fatalf("ffmpeg ran %d times, want %d (one per phase)", len(runs), len(phases))
	}
	k, differ := 0, false
	for i, run := range runs {
		if got := run.ArgAfter("-stats_period"); got != progressInterval {
			t.Errorf("run %d asked for a report every %q s, want %s", i, got, progressInterval)
		}
		if got := run.ArgAfter("-progress"); got != "pipe:1" {
			t.Errorf("run %d: -progress %q, want pipe:1", i, got)
		}
		for j, report := range run.Reports {
			frame := report.Frame
			if k >= len(progress) {
				t.Fatalf("%d Progress events, but ffmpeg reported %d times", len(progress), TeeReports(runs))
			}
			p := progress[k]
			if !differ && (p.Phase != phases[i] || p.Frame != min(frame, p.TotalFrames)) {
				t.Errorf("report %d of run %d said frame %d; its event is %+v", j, i, frame, p)
				differ = true // one is enough: the rest are shifted
			}
			k++
		}
	}
	for ; goWriter && k < len(progress); k++ {
		if progress[k].Phase != PhaseAssemble {
			t.Errorf("after the encode: %+v, want the writer's", progress[k])
		}
	}
	if k != len(progress) {
		t.Errorf("%d Progress events, but ffmpeg reported %d times", len(progress), k)
	}
	// For the record only: the rate depends on the machine (make bench
	// measures it).
	span := evs[len(evs)-2].at.Sub(evs[1].at).Seconds()
	t.Logf("render took %v: %d Progress events, one per report of ffmpeg, over %.2f s = %.1f a second",
		took, len(progress), span, float64(len(progress)-1)/span)

	sawETA := false
	for _, p := range progress {
		sawETA = sawETA || p.ETA > 0
	}
	if !sawETA {
		t.Error("no Progress carried an ETA")
	}
	info, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if fin.Err != nil || fin.Output != out || fin.Size != info.Size() || fin.Size <= 0 || fin.Elapsed <= 0 || fin.Elapsed > took {
		t.Errorf("Finished = %+v (file %d bytes, took %v)", fin, info.Size(), took)
	}
}

// TestWaitWithoutReadingEvents: a caller that never reads the events still
// gets Wait back, and Finished is still the last event in the channel.
func TestWaitWithoutReadingEvents(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	dir := t.TempDir()
	img := writePNG(t, dir, "in.png", solidImage(64, 48, tRed))
	s := testSettings(img, filepath.Join(dir, "v.mp4"))
	s.Duration = 2 * time.Second
	j, err := Start(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- j.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Wait = %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("Wait hangs when nobody reads the events")
	}
	var evs []Event
	for ev := range j.Events() {
		evs = append(evs, ev)
	}
	if len(evs) == 0 || len(evs) > eventBuffer {
		t.Fatalf("%d events buffered", len(evs))
	}
	if _, ok := evs[0].(Started); !ok {
		t.Errorf("first buffered event %T", evs[0])
	}
	if fin, ok := evs[len(evs)-1].(Finished); !ok || fin.Err != nil {
		t.Errorf("last buffered event %+v, want a clean Finished", evs[len(evs)-1])
	}
	// Wait can be called again and agrees.
	if err := j.Wait(); err != nil {
		t.Errorf("second Wait = %v", err)
	}
}

// TestEmitKeepsTheLastSlot: emit never takes the slot kept for Finished.
func TestEmitKeepsTheLastSlot(t *testing.T) {
	t.Parallel()
	j := &Job{events: make(chan Event, 4)}
	for i := 0; i < 10; i++ {
		j.emit(Progress{Frame: i})
	}
	if len(j.events) != 3 {
		t.Fatalf("%d events queued, want 3 of 4 slots", len(j.events))
	}
	j.events <- Finished{} // must not block
	if got := (<-j.events).(Progress).Frame; got != 0 {
		t.Errorf("first queued frame %d: the oldest events are kept, later ones dropped", got)
	}
}

// cancelSettings renders far longer than any test waits, so a cancel
// always lands mid-render.
func cancelSettings(t *testing.T, dir string) Settings {
	img := writePNG(t, dir, "in.png", solidImage(64, 48, color.RGBA{1, 2, 3, 255}))
	out := filepath.Join(dir, "out", "cancelled.mp4")
	if err := os.Mkdir(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	s := testSettings(img, out)
	s.Size = Size{W: 160, H: 120}
	s.Duration = 24 * time.Hour
	return s
}

// TestCancel stops renders mid-way, through the context and through
// Cancel, on the per-frame path and in both phases of the still path, and
// checks that everything the job made is gone.
func TestCancel(t *testing.T) {
	needFFmpeg(t)
	stages := []struct {
		name  string
		setup func(dir string, s *Settings)
		when  func(Progress) bool
	}{
		{"per-frame", func(_ string, s *Settings) { s.NoFastPath = true },
			func(p Progress) bool { return p.Frame > 0 }},
		{"still encoding", func(_ string, s *Settings) { s.Size = NamedSizes()[1] },
			func(p Progress) bool { return p.Frame > 0 }},
		{"still assembling", func(_ string, s *Settings) {},
			func(p Progress) bool { return p.Phase == PhaseAssemble && p.Frame > 0 }},
		// A day of looped FLAC, encoded to AAC in chunks beside the
		// picture: cancelled while they run.
		{"song audio chunks", func(dir string, s *Settings) {
			s.Audio, s.LoopAudio = []string{makeTone(t, dir, "loop.flac", 440, 3)}, true
		}, func(p Progress) bool { return p.Frame > 0 }},
		// Crossfades of two images, every frame through the pipe.
		{"slideshow per-frame", func(dir string, s *Settings) {
			s.Images = append(s.Images, Slide{Image: writePNG(t, dir, "two.png", solidImage(64, 48, color.RGBA{200, 100, 0, 255}))})
			s.Crossfade, s.NoFastPath = 2*time.Second, true
		}, func(p Progress) bool { return p.Frame > 0 }},
	}
	for _, stage := range stages {
		for _, how := range []string{"context", "Cancel"} {
			t.Run(stage.name+"/"+how, func(t *testing.T) {
				tmp := isolateTemp(t)
				dir := t.TempDir()
				s := cancelSettings(t, dir)
				stage.setup(dir, &s)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				j, err := Start(ctx, s)
				if err != nil {
					t.Fatal(err)
				}
				seen := waitProgress(t, j, stage.when)
				if _, ok := seen[0].(Started); !ok {
					t.Errorf("first event %T, want Started", seen[0])
				}
				if len(stillcastTemps(t, tmp)) == 0 {
					t.Errorf("while running, %s holds %v; want the frame pipe's folder", tmp, dirNames(t, tmp))
				}
				if len(dirNames(t, filepath.Dir(s.Output))) != 1 {
					t.Errorf("while running, the output folder holds %v; want one temporary file", dirNames(t, filepath.Dir(s.Output)))
				}
				stopped := time.Now()
				if how == "context" {
					cancel()
				} else {
					j.Cancel()
				}
				evs, err := collectEvents(t, j, 30*time.Second)
				took := time.Since(stopped)
				if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrCancelled) {
					t.Errorf("Wait = %v, want context.Canceled", err)
				}
				if took > ffmpeg.InterruptGrace-time.Second {
					t.Errorf("stopping took %v: ffmpeg ignored SIGINT and had to be killed", took)
				}
				if len(evs) == 0 {
					t.Fatal("no Finished after cancel")
				}
				fin := lastFinished(t, evs)
				if !errors.Is(fin.Err, context.Canceled) || fin.Size != 0 || fin.Duration != 0 {
					t.Errorf("Finished = %+v", fin)
				}
				if _, err := os.Stat(s.Output); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("target exists after cancel: %v", err)
				}
				checkDirHolds(t, filepath.Dir(s.Output))
				if left := stillcastTemps(t, tmp); len(left) > 0 {
					t.Errorf("temporary folders left: %v", left)
				}
				checkNoLeftoverProcesses(t, []string{dir, tmp})
			})
		}
	}
}

// TestCancelBeforeStart: a context cancelled before Start still ends in
// ErrCancelled with nothing left behind.
func TestCancelBeforeStart(t *testing.T) {
	needFFmpeg(t)
	tmp := isolateTemp(t)
	dir := t.TempDir()
	s := cancelSettings(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	j, err := Start(ctx, s)
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Start = %v", err)
		}
	} else if _, err := collectEvents(t, j, 30*time.Second); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait = %v, want context.Canceled", err)
	}
	checkDirHolds(t, filepath.Dir(s.Output))
	if left := stillcastTemps(t, tmp); len(left) > 0 {
		t.Errorf("frame pipe folders left: %v", left)
	}
	checkNoLeftoverProcesses(t, []string{dir, tmp})
}

// TestCancelKillsStubbornFFmpeg: an ffmpeg that ignores SIGINT, with a
// child of its own holding its stdout, is killed with its whole process
// group after the grace period.
func TestCancelKillsStubbornFFmpeg(t *testing.T) {
	tmp := isolateTemp(t)
	dir := t.TempDir()
	s := cancelSettings(t, dir)
	s.FFmpeg = fakeFFmpeg("ignore-int")
	j, err := Start(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if ev := <-j.Events(); ev == nil {
		t.Fatal("no Started")
	}
	// Find the fake and its group while it clips.
	var group int
	for i := 0; i < 100 && group == 0; i++ {
		for _, p := range leftoverProcesses(t, nil) {
			if p.ppid == os.Getpid() && strings.Contains(p.cmdline, "sleep") {
				group = p.pgrp
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if group == 0 {
		j.Cancel()
		t.Fatal("the fake ffmpeg never showed up")
	}
	members := 0
	for _, p := range listProcesses(t) {
		if p.pgrp == group {
			members++
		}
	}
	if members < 2 {
		t.Errorf("process group %d has %d members, want the fake and its child", group, members)
	}
	stopped := time.Now()
	j.Cancel()
	_, err = collectEvents(t, j, 30*time.Second)
	took := time.Since(stopped)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Wait = %v, want context.Canceled", err)
	}
	if took < ffmpeg.InterruptGrace-500*time.Millisecond || took > ffmpeg.InterruptGrace+5*time.Second {
		t.Errorf("stopping took %v, want about the %v grace period", took, ffmpeg.InterruptGrace)
	}
	checkNoLeftoverProcesses(t, []string{dir, tmp}, group)
	checkDirHolds(t, filepath.Dir(s.Output))
	if left := stillcastTemps(t, tmp); len(left) > 0 {
		t.Errorf("frame pipe folders left: %v", left)
	}
}

// TestFailingFFmpeg clips fake ffmpegs that fail in different ways.
func TestFailingFFmpeg(t *testing.T) {
	tests := []struct {
		fakeFFmpeg string
		check      func(t *testing.T, err error)
		concat     bool // the still path's copy step by the concat demuxer, not the remux
	}{
		{"fail-now", func(t *testing.T, err error) {
			fe := wantFFmpegError(t, err, 1)
			if lastLine(fe.Tail) != "Something specific failed" || !strings.Contains(err.Error(), "Something specific failed") {
				t.Errorf("tail %q, message %q", fe.Tail, err)
			}
		}, false},
		{"fail-after-read", func(t *testing.T, err error) {
			fe := wantFFmpegError(t, err, 1)
			if lastLine(fe.Tail) != "Something specific failed" || !strings.Contains(err.Error(), "Something specific failed") {
				t.Errorf("tail %q, message %q", fe.Tail, err)
			}
		}, false},
		{"chatty-fail", func(t *testing.T, err error) {
			fe := wantFFmpegError(t, err, 1)
			if len(fe.Tail) != ffmpeg.ErrorLines || lastLine(fe.Tail) != "Unknown encoder 'libx264'" ||
				!strings.HasPrefix(fe.Tail[0], "noise line 2989:") {
				t.Errorf("tail %q", fe.Tail)
			}
			if !strings.Contains(fe.Hint, "libx264") || !strings.Contains(err.Error(), fe.Hint) {
				t.Errorf("hint %q, message %q", fe.Hint, err)
			}
		}, false},
		{"exit0-now", func(t *testing.T, err error) {
			if err == nil || errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "ffmpeg") {
				t.Errorf("Wait = %v, want an error about ffmpeg", err)
			}
		}, false},
		// The still path: the segment encodes with the real ffmpeg, then
		// the copy step fails, or "succeeds" without doing anything: the
		// remux of the Go writer's MP4 into Matroska, or the concat.
		{"copy-fails", copyFailed, false},
		{"copy-exits-0", copyDidNothing, false},
		{"copy-fails", copyFailed, true},
		{"copy-exits-0", copyDidNothing, true},
	}
	for _, tt := range tests {
		t.Run(tt.fakeFFmpeg, func(t *testing.T) {
			tmp := isolateTemp(t)
			dir := t.TempDir()
			img := writePNG(t, dir, "in.png", solidImage(320, 240, tRed))
			s := testSettings(img, filepath.Join(dir, "out", "v.mp4"))
			os.Mkdir(filepath.Dir(s.Output), 0o755)
			s.Duration = 2 * time.Second // 50 frames of 112 KiB: more than the pipe holds
			if strings.HasPrefix(tt.fakeFFmpeg, "copy-") {
				needFFmpeg(t)
				s.Size = Size{W: 64, H: 48}
				s.Duration = 23 * time.Second // the still path
				s.concatPath = tt.concat
				if !tt.concat {
					s.Output = filepath.Join(dir, "out", "v.mkv") // remuxed by ffmpeg
				}
			}
			s.FFmpeg = fakeFFmpeg(tt.fakeFFmpeg)
			began := time.Now()
			j, err := Start(context.Background(), s)
			if err != nil {
				t.Fatal(err)
			}
			evs, err := collectEvents(t, j, 30*time.Second)
			if took := time.Since(began); took > 10*time.Second {
				t.Errorf("the job took %v to notice", took)
			}
			tt.check(t, err)
			if err != nil && strings.Contains(strings.ToLower(err.Error()), "broken pipe") {
				t.Errorf("message %q blames the pipe, not ffmpeg", err)
			}
			if fin := lastFinished(t, evs); fin.Err != err || fin.Size != 0 {
				t.Errorf("Finished %+v disagrees with Wait %v", fin, err)
			}
			checkDirHolds(t, filepath.Dir(s.Output))
			if left := stillcastTemps(t, tmp); len(left) > 0 {
				t.Errorf("frame pipe folders left: %v", left)
			}
			checkNoLeftoverProcesses(t, []string{dir, tmp})
		})
	}
}

func copyFailed(t *testing.T, err error) {
	fe := wantFFmpegError(t, err, 1)
	if lastLine(fe.Tail) != "Copy step failed on purpose" {
		t.Errorf("tail %q", fe.Tail)
	}
}

func copyDidNothing(t *testing.T, err error) {
	if err == nil {
		t.Errorf("Wait = nil: a copy step that wrote nothing passed for a finished video")
	}
}

func wantFFmpegError(t *testing.T, err error, code int) *FFmpegError {
	t.Helper()
	var fe *FFmpegError
	if !errors.As(err, &fe) {
		t.Fatalf("Wait = %v (%T), want *FFmpegError", err, err)
	}
	if fe.ExitCode != code {
		t.Errorf("exit code %d, want %d", fe.ExitCode, code)
	}
	return fe
}

// TestFFmpegThatCannotStart: a file that is executable but no program.
func TestFFmpegThatCannotStart(t *testing.T) {
	tmp := isolateTemp(t)
	dir := t.TempDir()
	bogus := filepath.Join(t.TempDir(), "ffmpeg")
	// Written before any job of this test forks, so no ETXTBSY.
	if err := os.WriteFile(bogus, []byte{0x7f, 'E', 'L', 'F', 0, 1, 2}, 0o755); err != nil {
		t.Fatal(err)
	}
	img := writePNG(t, dir, "in.png", solidImage(16, 16, tRed))
	s := testSettings(img, filepath.Join(dir, "out", "v.mp4"))
	os.Mkdir(filepath.Dir(s.Output), 0o755)
	s.FFmpeg = bogus
	j, err := Start(context.Background(), s)
	if err == nil {
		_, err = collectEvents(t, j, 30*time.Second)
	}
	if err == nil || !strings.Contains(err.Error(), bogus) {
		t.Errorf("error %v, want one naming %s", err, bogus)
	}
	checkDirHolds(t, filepath.Dir(s.Output))
	if left := stillcastTemps(t, tmp); len(left) > 0 {
		t.Errorf("frame pipe folders left: %v", left)
	}
}

func TestOutputExists(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	dir := t.TempDir()
	img := writePNG(t, dir, "in.png", solidImage(32, 32, tBlue))
	odir := t.TempDir()
	out := filepath.Join(odir, "v.mp4")
	old := []byte("an older video the user cares about")
	writeTestFile(t, odir, "v.mp4", old)

	// Without Force: refused before any work, the file untouched.
	s := testSettings(img, out)
	j, err := Start(context.Background(), s)
	if err == nil {
		j.Wait()
		t.Fatal("Start replaced an existing file without Force")
	}
	if !errors.Is(err, ErrOutputExists) {
		t.Errorf("error %v, want ErrOutputExists", err)
	}
	if fes := FieldErrors(err); len(fes) != 1 || fes[0].Field != "out" {
		t.Errorf("field errors %v, want one on out", fes)
	}
	sameBytes(t, out, old)
	checkDirHolds(t, odir, "v.mp4")

	// With Force: replaced by a real video.
	s.Force = true
	fin := lastFinished(t, renderOK(t, s))
	if fin.Err != nil {
		t.Fatal(fin.Err)
	}
	st := ffprobeJSON(t, out, false).video(t)
	if st.CodecName != "h264" || st.Width != 32 {
		t.Errorf("replaced file: %+v", st)
	}
	checkDirHolds(t, odir, "v.mp4")
}

// TestOutputAppearsDuringRender: a file that appears at the target while
// the job clips is never replaced without Force.
func TestOutputAppearsDuringRender(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	dir, odir := t.TempDir(), t.TempDir()
	img := writePNG(t, dir, "in.png", solidImage(64, 48, tBlue))
	out := filepath.Join(odir, "v.mp4")
	s := testSettings(img, out)
	s.Duration = 20 * time.Second
	j, err := Start(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	<-j.Events() // Started
	theirs := []byte("someone else's file")
	writeTestFile(t, odir, "v.mp4", theirs)
	_, err = collectEvents(t, j, time.Minute)
	if !errors.Is(err, ErrOutputExists) {
		t.Errorf("Wait = %v, want ErrOutputExists", err)
	}
	sameBytes(t, out, theirs)
	checkDirHolds(t, odir, "v.mp4")
}

func TestOutputFolderProblems(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	dir := t.TempDir()
	img := writePNG(t, dir, "in.png", solidImage(16, 16, tRed))
	file := writeTestFile(t, dir, "notes.txt", []byte("x"))
	if err := os.Mkdir(filepath.Join(dir, "already.mp4"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, out, part string
	}{
		{"missing folder", filepath.Join(dir, "no", "such", "v.mp4"), "does not exist"},
		{"output is a folder", filepath.Join(dir, "already.mp4"), "folder"},
		{"parent is a file", filepath.Join(file, "v.mp4"), "not a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testSettings(img, tt.out)
			s.Force = true
			j, err := Start(context.Background(), s)
			if err == nil {
				j.Wait()
				t.Fatal("Start accepted the output")
			}
			fes := FieldErrors(err)
			if len(fes) != 1 || fes[0].Field != "out" || !strings.Contains(err.Error(), tt.part) {
				t.Errorf("error %v, want a FieldError on out saying %q", err, tt.part)
			}
		})
	}
	checkDirHolds(t, dir, "already.mp4", "in.png", "notes.txt")
	checkDirHolds(t, filepath.Join(dir, "already.mp4"))
}

// TestOutputPermissions: the finished video gets the permissions any new
// file gets (0666 less the umask), not the 0600 of a private temporary
// file, so a web server or another user can read what was rendered.
func TestOutputPermissions(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	dir := t.TempDir()
	img := writePNG(t, dir, "in.png", solidImage(16, 16, tRed))
	ref, err := os.OpenFile(filepath.Join(dir, "reference"), os.O_CREATE|os.O_WRONLY, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	ref.Close()
	refInfo, _ := os.Stat(filepath.Join(dir, "reference"))
	out := filepath.Join(dir, "v.mp4")
	renderOK(t, testSettings(img, out))
	info, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != refInfo.Mode().Perm() {
		t.Errorf("the video has mode %v; a new file here gets %v", info.Mode().Perm(), refInfo.Mode().Perm())
	}
}

// TestConcurrentJobs: two jobs at once on the same machine, into the same
// folder, both succeed with their own output.
func TestConcurrentJobs(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	dir := t.TempDir()
	imgA := writePNG(t, dir, "a.png", solidImage(96, 64, tRed))
	imgB := writePNG(t, dir, "b.png", solidImage(96, 64, tBlue))
	odir := t.TempDir()
	var jobs []*Job
	for _, p := range []struct{ img, out string }{{imgA, "a.mp4"}, {imgB, "b.mkv"}} {
		s := testSettings(p.img, filepath.Join(odir, p.out))
		s.Duration = 3 * time.Second
		j, err := Start(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, j)
	}
	// Both run at the same time: each has a temporary file now.
	if names := dirNames(t, odir); len(names) != 2 {
		t.Logf("output folder while running: %v", names)
	}
	errs := make(chan error, 2)
	for _, j := range jobs {
		go func() { errs <- j.Wait() }()
	}
	for range jobs {
		if err := <-errs; err != nil {
			t.Errorf("job failed: %v", err)
		}
	}
	checkDirHolds(t, odir, "a.mp4", "b.mkv")
	for name, want := range map[string]color.RGBA{"a.mp4": tRed, "b.mkv": tBlue} {
		path := filepath.Join(odir, name)
		if n := ffprobeJSON(t, path, true).video(t).NbReadFrames; n != "75" {
			t.Errorf("%s holds %s frames, want 75", name, n)
		}
		f := decodeFrame(t, path, 74)
		checkColor(t, name, f, insetRect(f.Bounds(), 4), want, 8)
	}
}

// TestConcurrentJobsSameTarget: two jobs racing for one target without
// Force: exactly one wins, the other reports ErrOutputExists, and the
// target is the winner's whole video.
func TestConcurrentJobsSameTarget(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	dir, odir := t.TempDir(), t.TempDir()
	img := writePNG(t, dir, "in.png", solidImage(64, 48, tGreen))
	out := filepath.Join(odir, "same.mp4")
	var jobs []*Job
	for i := 0; i < 2; i++ {
		s := testSettings(img, out)
		s.Duration = time.Second
		j, err := Start(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, j)
	}
	var ok, exists int
	for _, j := range jobs {
		switch err := j.Wait(); {
		case err == nil:
			ok++
		case errors.Is(err, ErrOutputExists):
			exists++
		default:
			t.Errorf("job failed: %v", err)
		}
	}
	if ok != 1 || exists != 1 {
		t.Errorf("%d succeeded and %d found the target taken; want 1 and 1", ok, exists)
	}
	checkDirHolds(t, odir, "same.mp4")
	if n := ffprobeJSON(t, out, true).video(t).NbReadFrames; n != "25" {
		t.Errorf("target holds %s frames, want 25", n)
	}
}

func lastLine(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}
