// Package splice repeats and cuts an mp3 or AAC elementary stream by
// copying its frames, gaplessly: it parses the frames, plans which output
// frame comes from where (a copied source frame, or a frame of a short
// piece re-encoded around each loop join and for the final fade), builds
// the signal those pieces encode, finds an encoder's delay by
// cross-correlation, and writes the joined stream.
//
// It is pure Go: it runs no ffmpeg and knows nothing of Stillcast's
// settings. Positions are in decoded samples of the raw decode of the
// elementary stream, priming included, on a grid of one frame (1024
// samples for AAC, 1152 for MPEG-1 Layer III, 576 for MPEG-2/2.5).
package splice
