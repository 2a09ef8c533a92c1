package ui

import (
	"image"
	"slices"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// load decodes s's image on a goroutine and keeps a thumbnail of it.
func (l *slideList) load(s *slide) {
	go func() {
		l.slots <- struct{}{}
		pic, err := loadPicture(s.path)
		<-l.slots
		var thumb image.Image
		if err == nil {
			thumb = shrink(pic.thumb, slideThumbSide)
		}
		l.do(func() { l.loaded(s, pic, thumb, err) })
	}()
}

func (l *slideList) loaded(s *slide, pic *loadedImage, thumb image.Image, err error) {
	if !slices.Contains(l.items, s) {
		return // removed meanwhile
	}
	if err != nil {
		s.state, s.err = slideFailed, err
		if s.tentative {
			l.drop(s)
			l.rebuild()
			l.changed()
		} else {
			s.thumb.Resource, s.thumb.Image = theme.ErrorIcon(), nil
			s.thumb.Refresh()
			s.name.Importance = widget.DangerImportance
			s.name.Refresh()
			l.showInfo(s, nil)
		}
		l.onLoaded(s, nil)
		return
	}
	s.state, s.size, s.tentative = slideLoaded, pic.size, false
	s.thumb.Image = thumb
	s.thumb.Refresh()
	l.showInfo(s, l.showing(s))
	l.onLoaded(s, pic)
}
