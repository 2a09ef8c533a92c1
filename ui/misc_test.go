package ui

import (
	"bytes"
	"image/color"
	"path/filepath"
	"testing"

	"github.com/stillcast/stillcast/resources"
)

func TestBundledIconIsTheAppIcon(t *testing.T) {
	if !bytes.Equal(resourceIconPng.Content(), resources.Icon()) {
		t.Error("ui/icon.png differs from resources/icon.png: run go generate ./ui")
	}
}

func TestWithoutSystemDialogsFyneDialogsShow(t *testing.T) {
	h := newHarness(t)
	h.openImage(t, writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White))
	h.dialogs.err = errNoNativeDialogs
	h.chooseImage()
	h.chooseImage() // a second call while the first is open is ignored
	h.q.until(t, "the dialog is answered", func() bool { return !h.dialogOpen })
	if h.dialogs.openCalls != 1 {
		t.Errorf("%d dialogs opened, want 1", h.dialogs.openCalls)
	}
	if h.dialogs.openDir != h.dir {
		t.Errorf("open dialog started in %q, want the last image's folder %q", h.dialogs.openDir, h.dir)
	}
	if h.win.Canvas().Overlays().Top() == nil {
		t.Error("no Fyne file dialog as a fallback")
	}
}
