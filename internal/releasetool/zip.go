package main

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"time"
)

// zipFiles writes a .zip of files (paths relative to dir, kept as the names
// in the archive), with a fixed timestamp so the same input gives the same
// bytes. Executables keep their mode bits.
func zipFiles(out, dir string, files []string) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, name := range files {
		if err := addFile(zw, dir, name); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

func addFile(zw *zip.Writer, dir, name string) error {
	src, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return err
	}
	defer src.Close()
	st, err := src.Stat()
	if err != nil {
		return err
	}
	h, err := zip.FileInfoHeader(st)
	if err != nil {
		return err
	}
	h.Name = filepath.ToSlash(name)
	h.Method = zip.Deflate
	h.Modified = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	w, err := zw.CreateHeader(h)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, src)
	return err
}
