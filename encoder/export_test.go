package encoder

// The end-to-end tests in package encoder_test make and read audio with
// the same helpers as the tests inside the package.
var (
	MakeTone = makeTone
	PCMOf    = pcmOf
	RMS      = rms
	// AlignedSNR, StereoPCM and MakeMusic measure the AAC
	// of the benchmark as the quality test does.
	AlignedSNR = alignedSNR
	StereoPCM  = stereoPCM
	MakeMusic  = makeMusic
)

// LiveKeyframeSeconds is the keyframe interval of a live stream.
const LiveKeyframeSeconds = liveKeyframeSeconds
