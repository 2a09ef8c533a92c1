// Package picture is Stillcast's pixel work, in pure Go: it loads and
// decodes images (refusing ones too large to decode), turns them upright
// by their EXIF orientation, composes and fits them onto a canvas, converts
// RGB to yuv420p with the right matrix, blends crossfades, draws the Ken
// Burns zoom, writes cover art as a JPEG, and draws a live stream's title
// cards and track art (in the bundled Go Bold, with a system CJK font for
// what it lacks).
//
// It owns pixels only. It must not import os/exec, run ffmpeg, or import
// any other Stillcast package: the encoder and the window both build on it.
package picture
