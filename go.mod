module github.com/tinhso/tinhso

go 1.26.8
