package ui

import (
	"fmt"

	"github.com/stillcast/stillcast/encoder"
)

// The words the form shows for encoder values, and back.

// sizeCustom is the size option that shows the width and height entries.
const sizeCustom = "Custom"

// sizeLabel names a named canvas size for people.
func sizeLabel(z encoder.Size) string {
	switch z.Name {
	case "source":
		return "Same as the image"
	case "4k":
		return fmt.Sprintf("4K  (%d × %d)", z.W, z.H)
	case "vertical":
		return fmt.Sprintf("Vertical  (%d × %d)", z.W, z.H)
	case "square":
		return fmt.Sprintf("Square  (%d × %d)", z.W, z.H)
	}
	return fmt.Sprintf("%s  (%d × %d)", z.Name, z.W, z.H)
}

func sizeOptions() []string {
	var out []string
	for _, z := range encoder.NamedSizes() {
		out = append(out, sizeLabel(z))
	}
	return append(out, sizeCustom)
}

// namedSize finds the size behind a label; ok is false for Custom.
func namedSize(label string) (encoder.Size, bool) {
	for _, z := range encoder.NamedSizes() {
		if sizeLabel(z) == label {
			return z, true
		}
	}
	return encoder.Size{}, false
}

// fitLabels are the fit modes as the radio buttons say them, in
// encoder.Fits() order.
var fitLabels = map[encoder.Fit]string{
	encoder.FitLetterbox: "Letterbox",
	encoder.FitCrop:      "Crop",
	encoder.FitStretch:   "Stretch",
}

func fitOptions() []string {
	out := make([]string, len(encoder.Fits()))
	for i, f := range encoder.Fits() {
		out[i] = fitLabels[f]
	}
	return out
}

func fitFor(label string) encoder.Fit {
	for f, l := range fitLabels {
		if l == label {
			return f
		}
	}
	return ""
}

// presetLabels word x264's presets as a trade between time and size, in
// encoder.Presets() order.
var presetLabels = map[string]string{
	"ultrafast": "Fastest encode, largest file",
	"superfast": "Very fast encode",
	"veryfast":  "Fast encode (recommended)",
	"faster":    "Faster encode",
	"fast":      "Balanced",
	"medium":    "Smaller file",
	"slow":      "Smaller file, slow",
	"slower":    "Much smaller file, slower",
	"veryslow":  "Smallest file, slowest",
}

func presetOptions() []string {
	out := make([]string, len(encoder.Presets()))
	for i, p := range encoder.Presets() {
		out[i] = presetLabels[p]
	}
	return out
}

func presetFor(label string) string {
	for p, l := range presetLabels {
		if l == label {
			return p
		}
	}
	return ""
}

// crfWords says what a CRF value means to someone who has never heard of
// CRF. The thresholds follow x264's usual advice: 18 looks lossless,
// 23 is its default, 28 is visibly softer.
func crfWords(crf int) string {
	switch {
	case crf <= 17:
		return "near lossless, large file"
	case crf <= 22:
		return "excellent"
	case crf <= 27:
		return "good, smaller file"
	case crf <= 34:
		return "fair, small file"
	}
	return "poor, tiny file"
}

// Output modes.
const (
	outputFile = "Save to file"
	outputLive = "Go Live"
)
