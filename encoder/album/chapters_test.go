package album

import (
	"reflect"
	"testing"
	"time"
)

func TestChapters(t *testing.T) {
	s := time.Second
	tests := []struct {
		name   string
		tracks []Track
		want   []Chapter
	}{
		{"none", nil, []Chapter{}},
		{"one artist says only titles", []Track{
			{Title: "One", Artist: "Band", Length: 61 * s},
			{Title: "Two", Artist: "Band", Length: 2500 * time.Millisecond},
		}, []Chapter{{"One", 0, 61 * s}, {"Two", 61 * s, 63500 * time.Millisecond}}},
		{"several artists are named", []Track{
			{Title: "One", Artist: "A", Length: 10 * s},
			{Title: "Two", Artist: "B", Length: 10 * s},
			{Title: "Three", Length: 10 * s},
		}, []Chapter{{"A – One", 0, 10 * s}, {"B – Two", 10 * s, 20 * s}, {"Three", 20 * s, 30 * s}}},
		{"no title: the file name", []Track{
			{File: "/music/01 Intro.flac", Length: s},
			{Title: "Song", File: "/music/02.mp3", Length: s},
		}, []Chapter{{"01 Intro", 0, s}, {"Song", s, 2 * s}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Chapters(tt.tracks); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Chapters = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestCut(t *testing.T) {
	s := time.Second
	chs := []Chapter{{"a", 0, 10 * s}, {"b", 10 * s, 20 * s}, {"c", 20 * s, 30 * s}}
	tests := []struct {
		length time.Duration
		want   []Chapter
	}{
		{30 * s, chs},
		{40 * s, chs},
		{15 * s, []Chapter{{"a", 0, 10 * s}, {"b", 10 * s, 15 * s}}},
		{20 * s, []Chapter{{"a", 0, 10 * s}, {"b", 10 * s, 20 * s}}},
	}
	for _, tt := range tests {
		if got := Cut(chs, tt.length); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Cut(%v) = %v, want %v", tt.length, got, tt.want)
		}
	}
}
