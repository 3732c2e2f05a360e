package main

import (
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
)

// writeIcon draws the bundle icon (an envelope under a magnifying glass on a
// blue rounded square) at size x size pixels, 4x4 supersampled, as a PNG.
func writeIcon(out string, size int) error {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const ss = 4
	scale := 512 / float64(size)
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					px := (float64(x) + (float64(sx)+0.5)/ss) * scale
					py := (float64(y) + (float64(sy)+0.5)/ss) * scale
					c := iconPixel(px, py)
					r += c[0] * c[3]
					g += c[1] * c[3]
					b += c[2] * c[3]
					a += c[3]
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(r / a), uint8(g / a), uint8(b / a), uint8(a / (ss * ss) * 255)})
		}
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// iconPixel is the colour (r, g, b 0-255; alpha 0-1) at (x, y) of the icon
// drawn on a 512 x 512 canvas.
func iconPixel(x, y float64) [4]float64 {
	if !inRoundedRect(x, y, 16, 16, 496, 496, 104) {
		return [4]float64{}
	}
	t := y / 512 // background: blue, lighter at the top
	c := [4]float64{37 + (30-37)*t, 99 + (58-99)*t, 235 + (138-235)*t, 1}
	white := [4]float64{255, 255, 255, 1}
	amber := [4]float64{245, 158, 11, 1}
	// The envelope and its flap.
	if inRoundedRect(x, y, 84, 140, 356, 330, 18) {
		c = white
		if segDist(x, y, 92, 150, 220, 246) < 9 || segDist(x, y, 220, 246, 348, 150) < 9 {
			c = [4]float64{30, 64, 175, 1}
		}
	}
	// The magnifying glass: a tinted lens, its ring, its handle.
	cx, cy, rr := 338.0, 318.0, 84.0
	d := math.Hypot(x-cx, y-cy)
	switch {
	case d < rr-14:
		c = [4]float64{c[0]*0.75 + 255*0.25, c[1]*0.75 + 237*0.25, c[2]*0.75 + 213*0.25, 1}
	case d < rr+14:
		c = amber
	case segDist(x, y, cx+(rr+8)*0.7071, cy+(rr+8)*0.7071, 440, 420) < 20:
		c = amber
	}
	return c
}

func inRoundedRect(x, y, x0, y0, x1, y1, r float64) bool {
	if x < x0 || x > x1 || y < y0 || y > y1 {
		return false
	}
	cx := math.Max(x0+r, math.Min(x, x1-r))
	cy := math.Max(y0+r, math.Min(y, y1-r))
	return math.Hypot(x-cx, y-cy) <= r
}

// segDist is the distance from (px, py) to the segment (ax, ay)-(bx, by).
func segDist(px, py, ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := ((px-ax)*dx + (py-ay)*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(px-(ax+t*dx), py-(ay+t*dy))
}
