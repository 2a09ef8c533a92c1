package encoder

import (
	"context"
	"fmt"

	"github.com/stillcast/stillcast/encoder/picture"
)

// changePicture is Job.ChangePicture for a live stream on the fast path:
// it composes the image as the stream's picture, encodes its segment in
// the background, and puts it on air at the next keyframe. The cards are
// made again on the new picture.
func (l *liveStream) changePicture(path string) {
	l.background(func(ctx context.Context) {
		fail := func(err error) { l.job.emit(PictureChanged{Path: path, Err: err}) }
		if l.base.Load() == nil {
			fail(fmt.Errorf("the stream is still being prepared: try again in a moment"))
			return
		}
		img, err := loadImage(path)
		if err != nil {
			fail(err)
			return
		}
		canvas := l.plan.Canvas
		rgba := picture.Compose(img, canvas, l.s.Fit, l.s.Background)
		frame := picture.ToYUV420(rgba, picture.MatrixFor(canvas.Y))
		seg, err := l.segment(ctx, frame, false)
		if err != nil {
			fail(err)
			return
		}
		l.pending.Store(&pictureChange{path: path, segment: seg})
		l.setPicture(rgba, frame, seg)
	})
}
