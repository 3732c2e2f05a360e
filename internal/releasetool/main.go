// Command releasetool does the few release steps that have no portable
// command-line tool on a Linux build machine, in Go so that the release needs
// nothing beyond the Go toolchain (and npm for the bundle packer):
//
//	go run ./internal/releasetool universal -o OUT THIN1 THIN2   # macOS universal (fat) binary
//	go run ./internal/releasetool zip -o OUT.zip [-C DIR] FILE...  # a .zip (Windows archive)
//	go run ./internal/releasetool icon -o icon.png                 # regenerate the bundle icon
//
// scripts/release.sh calls it.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	out := fs.String("o", "", "output file")
	dir := fs.String("C", ".", "zip: directory the file names are relative to")
	_ = fs.Parse(os.Args[2:])
	if *out == "" {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "universal":
		err = universal(*out, fs.Args())
	case "zip":
		err = zipFiles(*out, *dir, fs.Args())
	case "icon":
		err = writeIcon(*out, 512)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "releasetool %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: releasetool universal|zip|icon -o OUT [args]")
	os.Exit(2)
}
