//go:build unix && !linux

package ffmpeg

// growPipe does nothing: only Linux lets a FIFO's buffer grow.
func growPipe(int) {}
