package encoder

// The end-to-end tests in package encoder_test make and read audio with
// the same helpers as the tests inside the package.
var (
	MakeTone = makeTone
	PCMOf    = pcmOf
	RMS      = rms
)

// LiveKeyframeSeconds is the keyframe interval of a live stream.
const LiveKeyframeSeconds = liveKeyframeSeconds

// WithConcatPath makes a still take the concat path instead of the Go
// writer, for benchmarks that measure the one beside the other.
func WithConcatPath(s Settings) Settings {
	s.concatPath = true
	return s
}
