// Package playout turns media prepared ahead of time into a live stream:
// it reads an H.264 segment that loops seamlessly and AAC frames, and
// hands them to the publisher as packets with continuous timestamps,
// paced by the wall clock. No encoder runs while it plays: the steady
// state of a still-image stream is a copy.
//
// It knows nothing of ffmpeg or of Stillcast's settings; it imports only
// encoder/publish, for the packets.
package playout
