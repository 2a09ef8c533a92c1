package ui

import (
	"slices"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// The keyframe interval of a file: where seeking lands, and what a long
// still's size depends on. Automatic (0) leaves it to the encoder; a
// stream keeps its own 2 s, so the row shows for files only.

// keyframeChoices are the intervals the Keyframes list offers, in the
// order of keyframeLabels; 0 is Automatic.
func keyframeChoices() []time.Duration {
	return []time.Duration{0, 2 * time.Second, 5 * time.Second, 10 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute}
}

// keyframeLabels name keyframeChoices, in order. Automatic says its rule
// (encoder's repeatGap), as the audio codec's Automatic does.
func keyframeLabels() []string {
	return []string{lang.L("Automatic: every 10 s, a long still up to 2 min apart"), lang.L("Every 2 s"), lang.L("Every 5 s"), lang.L("Every 10 s"),
		lang.L("Every 30 s"), lang.L("Every 1 min"), lang.L("Every 2 min")}
}

// keyframeIndex is d's place in keyframeChoices; one the list does not
// offer, such as a preference from another version, is Automatic.
func keyframeIndex(d time.Duration) int {
	return max(0, slices.Index(keyframeChoices(), d))
}

// newKeyframes makes the Keyframes list, on Automatic.
func newKeyframes(onChanged func(string)) *widget.Select {
	labels := keyframeLabels()
	return &widget.Select{Options: labels, Selected: labels[0], PlaceHolder: lang.L(selectPlaceholder), OnChanged: onChanged}
}

// keyframeInterval is the chosen interval, as encoder.Settings takes it.
func (f *form) keyframeInterval() time.Duration {
	return keyframeChoices()[max(0, f.keyframes.SelectedIndex())]
}

func (f *form) setKeyframeInterval(d time.Duration) {
	f.keyframes.SetSelectedIndex(keyframeIndex(d))
}
