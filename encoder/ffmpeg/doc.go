// Package ffmpeg runs ffmpeg and ffprobe for Stillcast, and knows nothing
// of Stillcast's settings. It finds the binaries and inspects them (the
// release, libx264, -stats_period); supervises a run (a process group of
// its own, raw frames and audio through private named pipes, a graceful
// stop on cancel, then a kill); keeps a bounded tail of stderr and turns
// it into an Error with a hint in plain words; parses -progress output;
// and reads ffprobe's JSON into plain structs. The files pipe_* and proc_*
// hold what differs between Unix and Windows.
//
// It must not import any other Stillcast package.
package ffmpeg
