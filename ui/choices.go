package ui

import (
	"fmt"

	"fyne.io/fyne/v2/lang"

	"github.com/stillcast/stillcast/encoder"
)

// The words the form shows for encoder values, and back.

// sizeCustom is the size option that shows the width and height entries,
// as the English window says it; sizeCustomLabel in the window's language.
const sizeCustom = "Custom"

func sizeCustomLabel() string { return lang.L(sizeCustom) }

// sizeLabel names a named canvas size for people.
func sizeLabel(z encoder.Size) string {
	switch z.Name {
	case "source":
		return lang.L("Same as the image")
	case "4k":
		return fmt.Sprintf("4K  (%d × %d)", z.W, z.H)
	case "vertical":
		return fmt.Sprintf("%s  (%d × %d)", lang.L("Vertical"), z.W, z.H)
	case "square":
		return fmt.Sprintf("%s  (%d × %d)", lang.L("Square"), z.W, z.H)
	}
	return fmt.Sprintf("%s  (%d × %d)", z.Name, z.W, z.H)
}

func sizeOptions() []string {
	var out []string
	for _, z := range encoder.NamedSizes() {
		out = append(out, sizeLabel(z))
	}
	return append(out, sizeCustomLabel())
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

// fitLabels are the fit modes as the radio buttons say them.
func fitLabels() map[encoder.Fit]string {
	return map[encoder.Fit]string{
		encoder.FitLetterbox: lang.L("Letterbox"),
		encoder.FitCrop:      lang.L("Crop"),
		encoder.FitStretch:   lang.L("Stretch"),
		encoder.FitBlur:      lang.L("Blurred fill"),
	}
}

func fitOptions() []string {
	labels := fitLabels()
	out := make([]string, len(encoder.Fits()))
	for i, f := range encoder.Fits() {
		out[i] = labels[f]
	}
	return out
}

func fitFor(label string) encoder.Fit {
	for f, l := range fitLabels() {
		if l == label {
			return f
		}
	}
	return ""
}

// presetLabels word x264's presets as a trade between time and size.
func presetLabels() map[string]string {
	return map[string]string{
		"ultrafast": lang.L("Fastest encode, largest file"),
		"superfast": lang.L("Very fast encode"),
		"veryfast":  lang.L("Fast encode (recommended)"),
		"faster":    lang.L("Faster encode"),
		"fast":      lang.L("Balanced"),
		"medium":    lang.L("Smaller file"),
		"slow":      lang.L("Smaller file, slow"),
		"slower":    lang.L("Much smaller file, slower"),
		"veryslow":  lang.L("Smallest file, slowest"),
	}
}

func presetOptions() []string {
	labels := presetLabels()
	out := make([]string, len(encoder.Presets()))
	for i, p := range encoder.Presets() {
		out[i] = labels[p]
	}
	return out
}

func presetFor(label string) string {
	for p, l := range presetLabels() {
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
		return lang.L("near lossless, large file")
	case crf <= 22:
		return lang.L("excellent")
	case crf <= 27:
		return lang.L("good, smaller file")
	case crf <= 34:
		return lang.L("fair, small file")
	}
	return lang.L("poor, tiny file")
}

// Output modes, as preferences keep them and the English window says
// them; outputLabel says them in the window's language.
const (
	outputFile = "Save to file"
	outputLive = "Go Live"
)

func outputLabel(mode string) string {
	if mode == outputLive {
		return lang.L(outputLive)
	}
	return lang.L(outputFile)
}
