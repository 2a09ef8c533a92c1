package picture

import (
	"image"
)

// The blurred fill: an image of another shape than the canvas shows
// whole, and the bars around it show a copy of it that fills the canvas,
// blurred and darkened, so square album art on a 16:9 video has no bars.

const (
	// blurShrink is how much smaller than the canvas the fill is blurred:
	// a strong blur leaves no detail that the smaller copy would lose, and
	// costs 1/64 of the work on it.
	blurShrink = 8
	// blurRadiusPerMille is the radius of the blur on the canvas, in
	// thousandths of its long side (4 %: 77 pixels at 1080p, 154 at 4K),
	// so that a preview looks like the video.
	blurRadiusPerMille = 40
	// blurPasses box blurs in a row come within a few per cent of a
	// Gaussian blur whose sigma is about the boxes' radius.
	blurPasses = 3
	// blurBrightness darkens the fill to 154/256 (60 %) of its brightness,
	// so the sharp image stands out against it.
	blurBrightness = 154
)

// bars are the parts of canvas outside the image's rectangle dst: none,
// or two, left and right or above and below.
func bars(canvas, dst image.Rectangle) []image.Rectangle {
	if dst == canvas || dst.Empty() {
		return nil
	}
	if dst.Dx() == canvas.Dx() {
		return []image.Rectangle{
			image.Rect(canvas.Min.X, canvas.Min.Y, canvas.Max.X, dst.Min.Y),
			image.Rect(canvas.Min.X, dst.Max.Y, canvas.Max.X, canvas.Max.Y),
		}
	}
	return []image.Rectangle{
		image.Rect(canvas.Min.X, canvas.Min.Y, dst.Min.X, canvas.Max.Y),
		image.Rect(dst.Max.X, canvas.Min.Y, canvas.Max.X, canvas.Max.Y),
	}
}

// drawBlurredFill draws into the given parts of out the blurred fill of
// the image composed at dst (over the background already): that image
// scaled to fill out as Crop does, at 1/blurShrink of its size, blurred,
// darkened and scaled up again. It starts from the composed image rather
// than the original, which may be many times larger and would cost that
// much more to shrink; the blur takes away any detail either has.
func drawBlurredFill(out *image.RGBA, dst image.Rectangle, parts ...image.Rectangle) {
	if len(parts) == 0 {
		return
	}
	canvas := out.Bounds()
	small := image.NewRGBA(image.Rect(0, 0, ceilDiv(canvas.Dx(), blurShrink), ceilDiv(canvas.Dy(), blurShrink)))
	src, _ := FitRects(dst.Size(), canvas.Size(), Crop)
	shrink(small, out, src.Add(dst.Min))
	radius := max(canvas.Dx(), canvas.Dy()) * blurRadiusPerMille / 1000
	boxBlur(small, max(1, (radius+blurShrink/2)/blurShrink), blurPasses)
	darken(small.Pix, blurBrightness) // small is opaque: its colours are not premultiplied
	for _, p := range parts {
		enlarge(out, p, small)
	}
}

func ceilDiv(a, b int) int { return max(1, (a+b-1)/b) }

// boxBlur blurs the opaque img in place with passes of a box of radius r,
// along its rows and then its columns: each pass costs the same whatever
// r is. Pixels beyond the edges repeat the edge pixels.
func boxBlur(img *image.RGBA, r, passes int) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	line := make([]uint8, 4*max(w, h))
	for range passes {
		for y := range h {
			boxLine(img.Pix[y*img.Stride:], 4, w, r, line)
		}
		for x := range w {
			boxLine(img.Pix[4*x:], img.Stride, h, r, line)
		}
	}
}

// boxLine sets each of the n pixels of pix, step bytes apart, to the mean
// colour of the 2r+1 pixels around it, with a running sum; line holds a
// copy of the pixels as they were. Alpha is left alone.
func boxLine(pix []uint8, step, n, r int, line []uint8) {
	for i := range n {
		copy(line[4*i:4*i+3], pix[i*step:i*step+3])
	}
	at := func(i int) int { return 4 * min(max(i, 0), n-1) }
	var sum [3]int
	for i := -r; i <= r; i++ {
		p := at(i)
		sum[0], sum[1], sum[2] = sum[0]+int(line[p]), sum[1]+int(line[p+1]), sum[2]+int(line[p+2])
	}
	d := 2*r + 1
	for i := range n {
		o := i * step
		pix[o], pix[o+1], pix[o+2] = uint8((sum[0]+r)/d), uint8((sum[1]+r)/d), uint8((sum[2]+r)/d)
		in, out := at(i+r+1), at(i-r)
		for c := range 3 {
			sum[c] += int(line[in+c]) - int(line[out+c])
		}
	}
}
