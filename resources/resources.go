// Package resources embeds Stillcast's bundled images: the first-run sample
// picture and the app icon. It imports nothing of Stillcast.
package resources

import _ "embed"

//go:embed sample.jpg
var sampleJPG string

//go:embed icon.png
var iconPNG string

// SampleImage returns the JPEG bytes of the bundled 1920×1080 sample picture.
// Each call returns a fresh copy, so callers may modify it.
func SampleImage() []byte { return []byte(sampleJPG) }

// SampleName returns the file name of the bundled sample picture.
func SampleName() string { return "sample.jpg" }

// Icon returns the PNG bytes of the 512×512 application icon.
// Each call returns a fresh copy, so callers may modify it.
func Icon() []byte { return []byte(iconPNG) }
