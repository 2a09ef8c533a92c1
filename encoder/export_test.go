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
