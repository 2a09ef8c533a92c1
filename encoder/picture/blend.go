package picture

// Blend mixes frames a and b, w/256 of b, into out: a crossfade's frame.
// All three have the same length; out may be a.
func Blend(out, a, b []byte, w int) {
	wa := 256 - w
	for i := range out {
		out[i] = byte((int(a[i])*wa + int(b[i])*w + 128) >> 8)
	}
}
