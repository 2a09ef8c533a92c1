module github.com/stillcast/stillcast

go 1.26.8

require (
	github.com/Microsoft/go-winio v0.6.4
	golang.org/x/image v0.48.0
	golang.org/x/sys v0.50.0
)

require (
	fyne.io/fyne/v2 v2.7.1 // indirect
	github.com/TheTitanrain/w32 v0.0.0-20180517000239-4f5cfb03fabf // indirect
	github.com/sqweek/dialog v0.0.0-20260123140253-64c163d53aac // indirect
)
