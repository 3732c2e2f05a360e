package main

import (
	"bytes"
	"debug/macho"
	"encoding/binary"
	"fmt"
	"os"
)

// fatAlign is the slice alignment, 2^14 = 16 KiB: the page size of arm64
// macOS, and a multiple of x86_64's 4 KiB, as Apple's lipo lays it out.
const fatAlign = 14

// universal writes a Mach-O universal ("fat") binary holding the thin
// binaries ins, one per CPU type, as `lipo -create` does. Each slice is
// copied unchanged, so the ad-hoc code signature the Go linker gives
// darwin/arm64 binaries stays valid.
func universal(out string, ins []string) error {
	if len(ins) < 2 {
		return fmt.Errorf("need at least two thin Mach-O binaries")
	}
	type slice struct {
		cpu, sub uint32
		data     []byte
	}
	var slices []slice
	seen := map[macho.Cpu]string{}
	for _, in := range ins {
		data, err := os.ReadFile(in)
		if err != nil {
			return err
		}
		f, err := macho.NewFile(bytes.NewReader(data))
		if err != nil {
			return fmt.Errorf("%s: not a thin Mach-O binary: %w", in, err)
		}
		if prev, dup := seen[f.Cpu]; dup {
			return fmt.Errorf("%s and %s are both %s", prev, in, f.Cpu)
		}
		seen[f.Cpu] = in
		slices = append(slices, slice{uint32(f.Cpu), f.SubCpu, data})
	}
	var buf bytes.Buffer
	be := binary.BigEndian
	w := func(v uint32) { _ = binary.Write(&buf, be, v) }
	w(macho.MagicFat)
	w(uint32(len(slices)))
	offset := alignUp(uint64(8+20*len(slices)), 1<<fatAlign)
	offsets := make([]uint64, len(slices))
	for i, s := range slices {
		if offset+uint64(len(s.data)) > 1<<32-1 {
			return fmt.Errorf("universal binary over 4 GiB")
		}
		offsets[i] = offset
		w(s.cpu)
		w(s.sub)
		w(uint32(offset))
		w(uint32(len(s.data)))
		w(fatAlign)
		offset = alignUp(offset+uint64(len(s.data)), 1<<fatAlign)
	}
	for i, s := range slices {
		buf.Write(make([]byte, int(offsets[i])-buf.Len()))
		buf.Write(s.data)
	}
	// Read it back: the result must open as a fat file with every slice.
	ff, err := macho.NewFatFile(bytes.NewReader(buf.Bytes()))
	if err != nil {
		return fmt.Errorf("result does not read back: %w", err)
	}
	if len(ff.Arches) != len(slices) {
		return fmt.Errorf("result has %d slices, want %d", len(ff.Arches), len(slices))
	}
	return os.WriteFile(out, buf.Bytes(), 0o755)
}

func alignUp(n, a uint64) uint64 { return (n + a - 1) / a * a }
