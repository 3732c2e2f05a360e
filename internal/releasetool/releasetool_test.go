package main

import (
	"archive/zip"
	"bytes"
	"debug/macho"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// thinMachO is the smallest 64-bit Mach-O executable debug/macho reads: a
// header with no load commands, then a payload that tells the CPUs apart.
func thinMachO(cpu macho.Cpu) []byte {
	var b bytes.Buffer
	for _, v := range []uint32{macho.Magic64, uint32(cpu), 3, uint32(macho.TypeExec), 0, 0, 0, 0} {
		_ = binary.Write(&b, binary.LittleEndian, v)
	}
	b.WriteString("payload of " + cpu.String())
	return b.Bytes()
}

// Two thin darwin binaries make one fat binary whose slices are the inputs,
// byte for byte, at page-aligned offsets.
func TestUniversal(t *testing.T) {
	dir := t.TempDir()
	var thin []string
	for _, cpu := range []macho.Cpu{macho.CpuAmd64, macho.CpuArm64} {
		out := filepath.Join(dir, "thin-"+cpu.String())
		if err := os.WriteFile(out, thinMachO(cpu), 0o755); err != nil {
			t.Fatal(err)
		}
		thin = append(thin, out)
	}
	src := filepath.Join(dir, "not-macho")
	os.WriteFile(src, []byte("#!/bin/sh\n"), 0o755)
	fat := filepath.Join(dir, "hello")
	if err := universal(fat, thin); err != nil {
		t.Fatal(err)
	}
	ff, err := macho.OpenFat(fat)
	if err != nil {
		t.Fatal(err)
	}
	defer ff.Close()
	raw, _ := os.ReadFile(fat)
	want := map[macho.Cpu]string{macho.CpuAmd64: thin[0], macho.CpuArm64: thin[1]}
	if len(ff.Arches) != 2 {
		t.Fatalf("%d slices", len(ff.Arches))
	}
	for _, a := range ff.Arches {
		if a.Offset%(1<<fatAlign) != 0 {
			t.Errorf("%s slice at %d, not 16 KiB aligned", a.Cpu, a.Offset)
		}
		in, _ := os.ReadFile(want[a.Cpu])
		if !bytes.Equal(raw[a.Offset:a.Offset+a.Size], in) {
			t.Errorf("%s slice differs from %s", a.Cpu, want[a.Cpu])
		}
	}
	if err := universal(fat, []string{thin[0], thin[0]}); err == nil {
		t.Error("two slices of one CPU type accepted")
	}
	if err := universal(fat, []string{src, thin[0]}); err == nil {
		t.Error("a non-Mach-O input accepted")
	}
}

func TestZipKeepsNamesAndModes(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "tool.exe"), []byte("MZ binary"), 0o755)
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("read me"), 0o644)
	out := filepath.Join(t.TempDir(), "a.zip")
	if err := zipFiles(out, dir, []string{"tool.exe", "README.md"}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	got := map[string]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		got[f.Name] = string(b)
		if f.Name == "tool.exe" && f.Mode().Perm() != 0o755 {
			t.Errorf("tool.exe mode %v", f.Mode())
		}
	}
	if got["tool.exe"] != "MZ binary" || got["README.md"] != "read me" || len(got) != 2 {
		t.Errorf("archive holds %v", got)
	}
}

// The committed icon is what the generator draws (pixel for pixel: PNG
// bytes may differ between Go releases), and is the 512 x 512 PNG the
// bundle format recommends.
func TestIconIsGenerated(t *testing.T) {
	out := filepath.Join(t.TempDir(), "icon.png")
	if err := writeIcon(out, 512); err != nil {
		t.Fatal(err)
	}
	decode := func(path string) image.Image {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		img, err := png.Decode(f)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return img
	}
	fresh, committed := decode(out), decode("../../icon.png")
	if b := committed.Bounds(); b.Dx() != 512 || b.Dy() != 512 {
		t.Fatalf("icon.png is %v", b)
	}
	for y := 0; y < 512; y++ {
		for x := 0; x < 512; x++ {
			if color.NRGBAModel.Convert(fresh.At(x, y)) != color.NRGBAModel.Convert(committed.At(x, y)) {
				t.Fatalf("icon.png differs from the generator's output at (%d, %d): go run ./internal/releasetool icon -o icon.png", x, y)
			}
		}
	}
}
