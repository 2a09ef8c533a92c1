package ui

// Benchmarks run with `make bench`, each beside a baseline measured in
// the same invocation, so the ratio holds on a noisy machine.

import (
	"image"
	"image/color"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/ui/human"
)

// keystrokesPerRound is how many keystrokes each side of a benchmark
// times; the median is reported, and the slowest.
const keystrokesPerRound = 10

// BenchmarkTimelineKeystroke10k types into the first image's duration in
// a window of 10,000 images, beside the same keystroke in a window of 2.
// The video lasts 25000 s and the other images share what the first
// leaves: "1" shares out 2.5002 s each ("shows 0:03"), "15" or "51" 2.4988 s
// ("shows 0:02"), so every keystroke changes the line under every row.
// A keystroke is timed from the key to the widgets on screen holding the
// new timeline: the key handled, the window's check of the form run (the
// debounce's work, without its wait: flush runs it at once), the lines of
// the rows on screen and the length line set and refreshed. The other
// rows' lines are redrawn in batches queued after it (checked, not
// timed). Painting is not counted: the test driver paints only when asked.
func BenchmarkTimelineKeystroke10k(b *testing.B) {
	var many, two []time.Duration
	var build time.Duration
	for range b.N {
		took, built := keystrokes(b, 10_000)
		many, build = append(many, took...), built
		took, _ = keystrokes(b, 2)
		two = append(two, took...)
	}
	b.ReportMetric(ms(median(many)), "ms/keystroke-10k")
	b.ReportMetric(ms(slices.Max(many)), "max-ms-10k")
	b.ReportMetric(ms(median(two)), "ms/keystroke-2")
	b.ReportMetric(median(many).Seconds()/median(two).Seconds(), "10k/2")
	b.ReportMetric(build.Seconds(), "list-build-s-10k")
	b.ReportMetric(0, "ns/op")
}

// keystrokes builds a window of n images with the timeline above and
// times keystrokesPerRound keystrokes into the first image's duration,
// checking after each what every row says. It also says how long the
// rows of the list took to build (their images not loaded).
func keystrokes(b *testing.B, n int) (took []time.Duration, build time.Duration) {
	b.Helper()
	h := newHarness(b)
	img := writePNG(b, filepath.Join(h.dir, "a.png"), 8, 6, color.White)
	h.openImage(b, img)
	start := time.Now()
	addLoadedSlides(h, img, image.Pt(8, 6), n-1)
	build = time.Since(start)
	h.q.until(b, "the preview shows the first image", h.previewSettled)
	h.form.duration.SetText("25000")
	first := h.form.slides.items[0].duration
	first.SetText("1")
	h.settle()

	for i := range keystrokesPerRound {
		want := "shows 0:03"
		start := time.Now()
		if i%2 == 0 {
			typeRune(first, '5')
			want = "shows 0:02"
		} else {
			first.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
		}
		h.edits.flush()
		took = append(took, time.Since(start))
		d, err := encoder.ParseDuration(first.Text)
		if got := h.form.slides.items[0].info.Text; err != nil || got != "shows "+human.Clock(d) {
			b.Fatalf("%d images, the first at %q: its row says %q at once", n, first.Text, got)
		}
		h.settle()
		checkShares(b, h, want)
	}
	return took, build
}

// checkShares checks that the line under every image but the first and
// last, which take the rounding, says want, and that the length line has
// the total.
func checkShares(b *testing.B, h *harness, want string) {
	b.Helper()
	items := h.form.slides.items
	for _, s := range items[1 : len(items)-1] {
		if s.info.Text != want {
			b.Fatalf("%d images, first %q: a row says %q, want %q", len(items), items[0].duration.Text, s.info.Text, want)
		}
	}
	if !strings.Contains(h.form.length.Text, "Total 6:56:40") {
		b.Fatalf("length line %q", h.form.length.Text)
	}
}

// typeRune types one character into e, as a key press does.
func typeRune(e *widget.Entry, r rune) { e.TypedRune(r) }

// addLoadedSlides adds n rows of path to the list as if each had loaded
// already as an image of size: loading 10,000 images is not what the
// keystroke benchmark measures.
func addLoadedSlides(h *harness, path string, size image.Point, n int) {
	l := h.form.slides
	for range n {
		s := l.newSlide(path)
		s.state, s.size = slideLoaded, size
		l.items = append(l.items, s)
	}
	l.rebuild()
	h.onSlidesChanged()
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
