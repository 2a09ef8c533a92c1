// Package mp4file writes a progressive MP4 of one H.264 video track made of
// an encoded segment played over and over: the index (moov) is computed in
// full from the segment's sample table, written first, and followed by the
// segment's bytes once per repetition. Writing is I/O-bound: nothing is
// decoded, encoded or parsed per frame.
//
// It knows MP4 boxes and nothing of Stillcast: what the segment shows, and
// how long the video is, come from the caller.
package mp4file
