package picture

import (
	"slices"
	"testing"
)

func TestBlend(t *testing.T) {
	a, b := []byte{0, 100, 255, 16}, []byte{255, 200, 0, 16}
	out := make([]byte, 4)
	Blend(out, a, b, 128)
	if !slices.Equal(out, []byte{128, 150, 128, 16}) {
		t.Errorf("half and half: %v", out)
	}
	Blend(out, a, b, 0)
	if !slices.Equal(out, a) {
		t.Errorf("none of b: %v", out)
	}
}
