// Package encoder turns still images into a video file or a live stream.
// It is the API the window and the command line use: Settings and their
// validation, with field errors that name the setting; Start, which
// reads the files, plans the job as a pure function of the settings and
// those facts, and runs the plan; and the Job, whose typed events report
// progress on a channel.
//
// It owns the planning (timeline, slides laid out in frames, the still
// path's parts, the audio, ffmpeg's argument lists) and the running of a
// plan: frames composed once and written through a pipe, output committed
// without ever replacing a file unasked, and live streams reconnected
// with backoff. The pixels are encoder/picture's; running ffmpeg and
// ffprobe is encoder/ffmpeg's.
//
// It must not import Fyne or anything of ui/: it runs headless, in tests
// and on servers.
package encoder
