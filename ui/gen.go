package ui

// The icon is copied in first because an embed pattern cannot reach
// outside the package folder, and fyne bundle always writes one. A test
// checks that the copy still matches resources.Icon().
//go:generate cp ../resources/icon.png icon.png
//go:generate go run fyne.io/tools/cmd/fyne@v1.7.4 bundle -o bundled.go --package ui icon.png
