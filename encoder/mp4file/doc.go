// Package mp4file writes a progressive MP4 of one H.264 video track made of
// encoded segments, each played over and over: the index (moov) is
// computed in full from the segments' sample tables, written first, and
// followed by each segment's bytes once per repetition. Writing is
// I/O-bound: nothing is decoded, encoded or parsed per frame.
//
// A segment may reorder its frames (B-frames), as long as it shows
// exactly its own frames: then any segment can follow any other.
//
// It knows MP4 boxes and nothing of Stillcast: what the segments show, and
// how often each is played, come from the caller.
package mp4file
