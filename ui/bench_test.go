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
)

// keystrokesPerRound is how many keystrokes each side of a benchmark
// times; the median is reported, and the slowest.
const keystrokesPerRound = 10

// BenchmarkTimelineKeystroke10k types into the first image's duration in
// a window of 10,000 images, beside the same keystroke in a window of 2.
// The video lasts 25000 s and the other images share what the first
// leaves: "1" shares out 2.5002 s each ("shows 0:03"), "15" or "51" 2.4988 s
// ("shows 0:02"), so every keystroke changes the line under every row.
// A keystroke is timed from the key to the widgets holding the new
// timeline: the key handled, the window's refresh run (the debounce's
// work, without its wait: settle runs it at once), every row's line and
// the length line set and refreshed. Painting is not counted: the test
// driver does not paint until asked.
func BenchmarkTimelineKeystroke10k(b *testing.B) {
	var many, two []time.Duration
	for range b.N {
		many = append(many, keystrokes(b, 10_000)...)
		two = append(two, keystrokes(b, 2)...)
	}
	b.ReportMetric(ms(median(many)), "ms/keystroke-10k")
	b.ReportMetric(ms(slices.Max(many)), "max-ms-10k")
	b.ReportMetric(ms(median(two)), "ms/keystroke-2")
	b.ReportMetric(median(many).Seconds()/median(two).Seconds(), "10k/2")
	b.ReportMetric(0, "ns/op")
}

// keystrokes builds a window of n images with the timeline above and
// times keystrokesPerRound keystrokes into the first image's duration,
// checking after each what every row says.
func keystrokes(b *testing.B, n int) []time.Duration {
	b.Helper()
	h := newHarness(b)
	img := writePNG(b, filepath.Join(h.dir, "a.png"), 8, 6, color.White)
	h.openImage(b, img)
	addLoadedSlides(h, img, image.Pt(8, 6), n-1)
	h.q.until(b, "the preview shows the first image", h.previewSettled)
	h.form.duration.SetText("25000")
	first := h.form.slides.items[0].duration
	first.SetText("1")
	h.settle()

	var took []time.Duration
	for i := range keystrokesPerRound {
		want := "shows 0:03"
		start := time.Now()
		if i%2 == 0 {
			typeRune(first, '5')
			want = "shows 0:02"
		} else {
			first.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
		}
		h.settle()
		took = append(took, time.Since(start))
		checkShares(b, h, want)
	}
	return took
}

// checkShares checks that every image but the first and last, which take
// the rounding, says want, and that the length line has the total.
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
