// Package album turns an album's tracks into chapters, the tracklist
// YouTube reads from a video's description, and ffmpeg's FFMETADATA1
// chapter file. It is pure: it reads, writes and runs nothing, and
// knows nothing of the rest of Stillcast.
package album
