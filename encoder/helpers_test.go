package encoder

// Helpers shared by the encoder tests: the real ffmpeg and ffprobe, fake
// ffmpeg programs, image writers, a render runner, decoders that read a
// video back the way a player does, and a /proc scanner for leftovers.

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/internal/imgtest"
	"github.com/stillcast/stillcast/encoder/picture"
)

var (
	// ffmpegBin and ffprobeBin are the real programs, found on PATH by
	// TestMain before any test changes PATH.
	ffmpegBin, ffprobeBin string
	// fakesDir holds fake ffmpeg programs. They are written once, before
	// any test runs, so no test ever executes a file that another
	// goroutine's fork may still hold open for writing (ETXTBSY).
	fakesDir string
)

// fakeScripts are fake ffmpeg programs: shell scripts that behave like a
// broken ffmpeg.
var fakeScripts = map[string]string{
	// Fails at once, without opening the frame pipe.
	"fail-now": `echo "Something specific failed" >&2
exit 1
`,
	// Exits with success at once, without opening the frame pipe.
	"exit0-now": `exit 0
`,
	// Opens the frame pipe, reads a little, closes it, waits long enough
	// for the frame writer to hit a broken pipe, and then fails.
	"fail-after-read": `in=""
prev=""
for a in "$@"; do
	if [ "$prev" = "-i" ]; then in="${a#file:}"; fi
	prev="$a"
done
head -c 65536 "$in" >/dev/null
sleep 0.3
echo "Something specific failed" >&2
exit 1
`,
	// Floods stderr with far more than the kept tail, then names a known
	// failure.
	"chatty-fail": `i=0
while [ $i -lt 3000 ]; do
	echo "noise line $i: the quick brown fox jumps over the lazy dog"
	i=$((i+1))
done >&2
echo "Unknown encoder 'libx264'" >&2
exit 1
`,
	// Ignores SIGINT, and leaves a grandchild holding stdout, so only a
	// SIGKILL of the whole process group ends it.
	"ignore-int": `trap '' INT
sleep 30 &
exec sleep 30
`,
}

func TestMain(m *testing.M) {
	ffmpegBin, _ = exec.LookPath("ffmpeg")
	ffprobeBin, _ = exec.LookPath("ffprobe")
	if ffmpegBin != "" {
		// The real ffmpeg, except that a stream copy exits with success
		// at once, without reading a byte or writing the output.
		fakeScripts["copy-exits-0"] = `case " $* " in *" -c:v:0 copy "*) exit 0 ;; esac
exec '` + ffmpegBin + `' "$@"
`
		// The real ffmpeg, except that a stream copy fails.
		fakeScripts["copy-fails"] = `case " $* " in *" -c:v:0 copy "*) echo "Copy step failed on purpose" >&2; exit 1 ;; esac
exec '` + ffmpegBin + `' "$@"
`
	}
	if err := addVersionFakes(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	dir, err := os.MkdirTemp("", "encoder-test-fakes-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fakesDir = dir
	for name, body := range fakeScripts {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body), 0o755); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	// A fake named "ffmpeg" in a folder of its own, to be found on PATH.
	if err := os.Mkdir(filepath.Join(dir, "bin"), 0o755); err == nil {
		err = os.WriteFile(filepath.Join(dir, "bin", "ffmpeg"), []byte("#!/bin/sh\nexit 0\n"), 0o755)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// fakeFFmpeg returns the path of a fake ffmpeg program.
func fakeFFmpeg(name string) string {
	if _, ok := fakeScripts[name]; !ok {
		panic("no fake ffmpeg " + name)
	}
	return filepath.Join(fakesDir, name)
}

// needFFmpeg fails the test when the real ffmpeg or ffprobe is missing:
// `make test` installs them, and these tests are about the real thing.
func needFFmpeg(t testing.TB) {
	t.Helper()
	if ffmpegBin == "" || ffprobeBin == "" {
		t.Fatal("ffmpeg and ffprobe must be on PATH (Debian: apt install ffmpeg, or run make test)")
	}
}

// repoTestdata is the testdata folder at the root of the repository.

// ---- images ----

// ---- running jobs ----

// testSettings returns quick settings: ultrafast, a few frames, the real
// ffmpeg.
func testSettings(img, out string) Settings {
	s := DefaultSettings()
	s.Images, s.Output = SlidesOf(img), out
	s.Preset = "ultrafast"
	s.Duration = 200 * time.Millisecond // 5 frames at 25 fps
	s.FFmpeg = ffmpegBin
	return s
}

// timedEvent is an event and when it arrived.
type timedEvent struct {
	Event
	at time.Time
}

// collectEvents reads the events of j until the channel closes and returns them
// with Wait's error. It fails the test if that takes longer than limit.
func collectEvents(t testing.TB, j *Job, limit time.Duration) ([]timedEvent, error) {
	t.Helper()
	var evs []timedEvent
	timeout := time.After(limit)
	for {
		select {
		case ev, ok := <-j.Events():
			if !ok {
				done := make(chan error, 1)
				go func() { done <- j.Wait() }()
				select {
				case err := <-done:
					return evs, err
				case <-time.After(10 * time.Second):
					t.Fatal("Wait did not return within 10 s after the events channel closed")
				}
			}
			evs = append(evs, timedEvent{ev, time.Now()})
		case <-timeout:
			j.Cancel()
			t.Fatalf("job still running after %s; events so far: %d", limit, len(evs))
		}
	}
}

// renderOK runs s to its end and fails the test on any error. It returns the
// events.
func renderOK(t testing.TB, s Settings) []timedEvent {
	t.Helper()
	j, err := Start(context.Background(), s)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	evs, err := collectEvents(t, j, 2*time.Minute)
	if err != nil {
		t.Fatalf("render of %s failed: %v", filepath.Base(s.Output), err)
	}
	return evs
}

// lastFinished returns the Finished event at the end of evs.
func lastFinished(t testing.TB, evs []timedEvent) Finished {
	t.Helper()
	if len(evs) == 0 {
		t.Fatal("no events")
	}
	fin, ok := evs[len(evs)-1].Event.(Finished)
	if !ok {
		t.Fatalf("last event is %T, not Finished", evs[len(evs)-1].Event)
	}
	return fin
}

// ---- reading a video back ----

type probeStream struct {
	CodecName      string `json:"codec_name"`
	CodecType      string `json:"codec_type"`
	Profile        string `json:"profile"`
	Width          int    `json:"width"`
	Height         int    `json:"height"`
	PixFmt         string `json:"pix_fmt"`
	ColorRange     string `json:"color_range"`
	ColorSpace     string `json:"color_space"`
	ColorTransfer  string `json:"color_transfer"`
	ColorPrimaries string `json:"color_primaries"`
	RFrameRate     string `json:"r_frame_rate"`
	NbReadFrames   string `json:"nb_read_frames"`
	Disposition    struct {
		AttachedPic int `json:"attached_pic"`
	} `json:"disposition"`
}

type probeFormat struct {
	FormatName string `json:"format_name"`
	Duration   string `json:"duration"`
	Size       string `json:"size"`
}

type probeResult struct {
	Streams []probeStream `json:"streams"`
	Format  probeFormat   `json:"format"`
}

// ffprobeJSON runs ffprobe on path and returns its streams and format. With
// count it decodes the whole file to count the frames.
func ffprobeJSON(t testing.TB, path string, count bool) probeResult {
	t.Helper()
	args := []string{"-v", "error", "-print_format", "json", "-show_streams", "-show_format"}
	if count {
		args = append(args, "-count_frames")
	}
	args = append(args, "file:"+path)
	out, err := exec.Command(ffprobeBin, args...).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v %s", path, err, stderrOf(err))
	}
	var r probeResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("ffprobe JSON: %v\n%s", err, out)
	}
	return r
}

// video returns the only stream of a probe, which must be video.
func (r probeResult) video(t testing.TB) probeStream {
	t.Helper()
	if len(r.Streams) != 1 || r.Streams[0].CodecType != "video" {
		t.Fatalf("want exactly one video stream, got %+v", r.Streams)
	}
	return r.Streams[0]
}

// firstVideo returns the first video stream of a probe that is not cover
// art, in a file that may also hold audio.
func (r probeResult) firstVideo(t testing.TB) probeStream {
	t.Helper()
	for _, s := range r.Streams {
		if s.CodecType == "video" && s.Disposition.AttachedPic == 0 {
			return s
		}
	}
	t.Fatalf("no video stream in %+v", r.Streams)
	return probeStream{}
}

func stderrOf(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return string(ee.Stderr)
	}
	return ""
}

// swsMatrix turns ffprobe's color_space into the name the scale filter
// takes for in_color_matrix.
func swsMatrix(t testing.TB, space string) string {
	t.Helper()
	switch space {
	case "bt709":
		return "bt709"
	case "smpte170m", "bt470bg":
		return "bt601"
	}
	t.Fatalf("stream carries no usable colour matrix tag (color_space=%q)", space)
	return ""
}

// decodeFrame decodes frame n of the video at path to RGB the way a
// player does: with the matrix and range its tags declare. It returns an
// opaque RGBA image of the stream's size. Audio and cover art are passed by.
func decodeFrame(t testing.TB, path string, n int) *image.RGBA {
	t.Helper()
	st := ffprobeJSON(t, path, false).firstVideo(t)
	rng := st.ColorRange
	if rng != "tv" && rng != "pc" {
		t.Fatalf("stream carries no colour range tag (color_range=%q)", rng)
	}
	vf := fmt.Sprintf(`select=eq(n\,%d),scale=in_color_matrix=%s:in_range=%s:out_range=pc:flags=bicubic+accurate_rnd+full_chroma_int,format=rgb24`,
		n, swsMatrix(t, st.ColorSpace), rng)
	raw := ffmpegOut(t, "-v", "error", "-i", "file:"+path, "-map", "0:v:0", "-vf", vf, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-")
	if len(raw) != st.Width*st.Height*3 {
		t.Fatalf("decoded frame %d of %s: %d bytes, want %dx%dx3", n, path, len(raw), st.Width, st.Height)
	}
	img := image.NewRGBA(image.Rect(0, 0, st.Width, st.Height))
	for i, j := 0, 0; i < len(raw); i, j = i+3, j+4 {
		img.Pix[j], img.Pix[j+1], img.Pix[j+2], img.Pix[j+3] = raw[i], raw[i+1], raw[i+2], 255
	}
	return img
}

// yuvFrame is a decoded yuv420p frame without any colour conversion.
type yuvFrame struct {
	W, H      int
	Y, Cb, Cr []byte
}

// decodeYUV decodes frame n of path to its raw yuv420p samples.
func decodeYUV(t testing.TB, path string, n int) yuvFrame {
	t.Helper()
	st := ffprobeJSON(t, path, false).video(t)
	raw := ffmpegOut(t, "-v", "error", "-i", "file:"+path, "-vf", fmt.Sprintf(`select=eq(n\,%d)`, n),
		"-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-")
	w, h := st.Width, st.Height
	if len(raw) != picture.FrameSize(w, h) {
		t.Fatalf("decoded yuv frame: %d bytes, want %d", len(raw), picture.FrameSize(w, h))
	}
	c := (w / 2) * (h / 2)
	return yuvFrame{W: w, H: h, Y: raw[:w*h], Cb: raw[w*h : w*h+c], Cr: raw[w*h+c:]}
}

func ffmpegOut(t testing.TB, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(ffmpegBin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ffmpeg %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// topLevelAtoms lists the types of the top-level boxes of an MP4 or MOV.
func topLevelAtoms(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, _ := f.Stat()
	var atoms []string
	var off int64
	for off < info.Size() {
		var hdr [16]byte
		if _, err := f.ReadAt(hdr[:8], off); err != nil {
			t.Fatalf("atom header at %d: %v", off, err)
		}
		size := int64(binary.BigEndian.Uint32(hdr[:4]))
		typ := string(hdr[4:8])
		switch size {
		case 1: // 64-bit size follows
			if _, err := f.ReadAt(hdr[8:16], off+8); err != nil {
				t.Fatal(err)
			}
			size = int64(binary.BigEndian.Uint64(hdr[8:16]))
		case 0: // to the end of the file
			size = info.Size() - off
		}
		if size < 8 {
			t.Fatalf("atom %q at %d has size %d", typ, off, size)
		}
		atoms = append(atoms, typ)
		off += size
	}
	if off != info.Size() {
		t.Fatalf("atoms end at %d, file is %d bytes", off, info.Size())
	}
	return atoms
}

// indexOfString returns the position of s in list, or -1.
func indexOfString(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// ---- leftovers ----

// dirNames lists the names in dir, sorted.
func dirNames(t testing.TB, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(ents))
	for i, e := range ents {
		names[i] = e.Name()
	}
	return names
}

// checkDirHolds fails unless dir holds exactly the names want.
func checkDirHolds(t testing.TB, dir string, want ...string) {
	t.Helper()
	got := dirNames(t, dir)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s holds %q, want %q", dir, got, want)
	}
}

// procInfo is one process seen in /proc.
type procInfo struct {
	pid, ppid, pgrp int
	state           string
	comm, cmdline   string
}

// listProcesses lists every process in /proc.
func listProcesses(t testing.TB) []procInfo {
	t.Helper()
	ents, err := os.ReadDir("/proc")
	if err != nil {
		t.Skip("no /proc: cannot look for leftover processes")
	}
	var out []procInfo
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue // gone meanwhile
		}
		// "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses.
		s := string(stat)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < open {
			continue
		}
		f := strings.Fields(s[end+1:])
		if len(f) < 3 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		pgrp, _ := strconv.Atoi(f[2])
		cmd, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		out = append(out, procInfo{pid: pid, ppid: ppid, pgrp: pgrp, state: f[0], comm: s[open+1 : end],
			cmdline: strings.ReplaceAll(string(bytes.TrimRight(cmd, "\x00")), "\x00", " ")})
	}
	return out
}

// jobPrograms are the programs a job of these tests runs as a child:
// ffmpeg itself and what the fake ffmpegs are made of. Other children of
// the test binary (a server another test keeps running) are not leftovers.
var jobPrograms = map[string]bool{"ffmpeg": true, "sh": true, "dash": true, "bash": true, "sleep": true, "head": true}

// leftoverProcesses lists the children of this test process that run a
// job's program, and any process whose command line mentions one of marks
// or that sits in one of the process groups pgrps.
func leftoverProcesses(t testing.TB, marks []string, pgrps ...int) []procInfo {
	t.Helper()
	self := os.Getpid()
	var out []procInfo
	for _, p := range listProcesses(t) {
		fake := fakesDir != "" && strings.Contains(p.cmdline, fakesDir)
		hit := fake || p.ppid == self && jobPrograms[p.comm]
		for _, m := range marks {
			hit = hit || (m != "" && strings.Contains(p.cmdline, m))
		}
		for _, g := range pgrps {
			hit = hit || p.pgrp == g
		}
		// A zombie whose parent is not this process is dead already: it
		// was reparented to an init that does not reap (as in some
		// containers). A zombie child of ours would be a missing Wait.
		if p.state == "Z" && p.ppid != self {
			continue
		}
		if hit && p.pid != self {
			out = append(out, p)
		}
	}
	return out
}

// checkNoLeftoverProcesses polls briefly for leftovers to vanish, then fails the
// test naming any that remain.
func checkNoLeftoverProcesses(t testing.TB, marks []string, pgrps ...int) {
	t.Helper()
	var left []procInfo
	for i := 0; i < 20; i++ {
		if left = leftoverProcesses(t, marks, pgrps...); len(left) == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, p := range left {
		t.Errorf("leftover process %d (%s, state %s, parent %d, group %d): %s", p.pid, p.comm, p.state, p.ppid, p.pgrp, p.cmdline)
	}
}

// stillcastTemps lists the frame-pipe folders Stillcast made in dir.
func stillcastTemps(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	for _, n := range dirNames(t, dir) {
		if strings.HasPrefix(n, "stillcast-") {
			out = append(out, n)
		}
	}
	return out
}

// isolateTemp points os.TempDir at a fresh folder for this test, so the
// frame-pipe folders of this test's jobs are the only ones there. The test
// must not be parallel.
func isolateTemp(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	if os.TempDir() != dir {
		t.Fatalf("os.TempDir() = %s after setting TMPDIR to %s", os.TempDir(), dir)
	}
	return dir
}

// sameBytes fails unless path holds exactly want.
func sameBytes(t testing.TB, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s changed: %d bytes, was %d", path, len(got), len(want))
	}
}

// waitProgress reads events of j until a Progress satisfies ok, so a
// cancel lands where the test wants it. It returns the events it read.
func waitProgress(t testing.TB, j *Job, ok func(Progress) bool) []Event {
	t.Helper()
	var evs []Event
	timeout := time.After(60 * time.Second)
	for {
		select {
		case ev, open := <-j.Events():
			if !open {
				t.Fatalf("job ended before it was cancelled: %v (events %v)", j.Wait(), evs)
			}
			evs = append(evs, ev)
			if p, isP := ev.(Progress); isP && ok(p) {
				return evs
			}
		case <-timeout:
			j.Cancel()
			t.Fatal("no Progress of the awaited kind within 60 s")
		}
	}
}

// The image helpers live in imgtest, shared with the picture tests.
var (
	solidImage    = imgtest.Solid
	writePNG      = imgtest.WritePNG
	writeJPEG     = imgtest.WriteJPEG
	writeTestFile = imgtest.WriteFile
	pngWithHeader = imgtest.PNGWithHeader
	colorCard     = imgtest.ColorCard
	cardBlockRect = imgtest.CardBlockRect
	meanRGB       = imgtest.MeanRGB
	checkColor    = imgtest.CheckColor
	insetRect     = imgtest.Inset
	repoTestdata  = imgtest.Testdata
	blockColors   = imgtest.BlockColors
	tRed          = imgtest.Red
	tGreen        = imgtest.Green
	tBlue         = imgtest.Blue
)
