//go:build !linux

package main

import (
	"errors"
	"os/exec"
	"time"
)

func dieWithParent(*exec.Cmd) {}

func memStatus(int) (rss, hwm int64, err error) {
	return 0, 0, errors.New("resident memory is only read on Linux (/proc)")
}

func loadAverage() string { return "?" }

type cpuSample struct {
	machineBusy, machineTotal, self, child time.Duration
}

func sampleCPU(int) (cpuSample, error) {
	return cpuSample{}, errors.New("CPU times are only read on Linux (/proc)")
}
