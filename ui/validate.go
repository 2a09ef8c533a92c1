package ui

import (
	"errors"

	"github.com/stillcast/stillcast/encoder"
)

// errImageLoading holds Render back while the image in the form loads.
// It is not shown: the preview updates a moment later.
var errImageLoading = errors.New("the image is still loading")

// validate reads the form, marks every bad field with its reason and
// returns the settings with what is wrong with them.
func (m *mainWindow) validate() (encoder.Settings, error) {
	s, err := m.form.settings()
	if problem := m.imageProblem(s.Images[0].Image); problem != nil {
		err = errors.Join(withoutField(err, "image"), &encoder.FieldError{Field: "image", Err: problem})
	}
	m.form.showErrors(err)
	if err == nil && s.Images[0].Image == m.loads.pending {
		err = errImageLoading
	}
	m.valid = err == nil
	return s, err
}

// imageProblem says why the image path in the form cannot be rendered, if
// the form's own check does not (an empty path is the form's business).
func (m *mainWindow) imageProblem(path string) error {
	switch {
	case path == "", path == m.loads.pending:
		return nil
	case m.picture != nil && path == m.picture.path:
		return nil
	case path == m.loads.failedPath:
		return errors.New(loadFailureText(m.loads.failed))
	case !isFile(path):
		return errors.New("there is no file at this path")
	}
	return errors.New("press Choose… or drop the image on the window to load it")
}

// refreshPreview shows the frame for s, unless its size or fit is bad:
// then the last good frame stays until they make sense again.
func (m *mainWindow) refreshPreview(s encoder.Settings, problems error) {
	if m.picture == nil {
		m.preview.clear()
		return
	}
	framesKnown := true
	for _, fe := range encoder.FieldErrors(problems) {
		switch fe.Field {
		case "size", "fit":
			return // keep the last good frame until the size makes sense
		case "fps", "duration":
			framesKnown = false
		}
	}
	m.preview.update(m.picture, s, framesKnown)
}
