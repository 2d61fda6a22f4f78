package demo

import (
	"bytes"
	"io"
)

// MP3 frame layout of silentMP3: MPEG-1 Layer III at 32 kbit/s and 32 kHz, mono, no CRC.
// A frame is 144 * bitrate / sample rate = 144 bytes and plays 1152 samples (36 ms).
const (
	mp3FrameSize = 144
	mp3Frames    = 28 // about a second
)

// silentMP3 is a short, valid, silent MP3. Each frame is a 4-byte header, 17 bytes of side
// information that are all zero (no scale factors, no Huffman data: every sample decodes to
// zero) and zero padding up to the frame size. Decoders and ffprobe accept it.
var silentMP3 = func() []byte {
	frame := make([]byte, mp3FrameSize)
	frame[0] = 0xff // 11-bit frame sync ...
	frame[1] = 0xfb // ... MPEG-1, Layer III, no CRC
	frame[2] = 0x18 // bitrate index 1 (32 kbit/s), sample rate index 2 (32 kHz), no padding
	frame[3] = 0xc0 // mono, no copyright, not original, no emphasis
	return bytes.Repeat(frame, mp3Frames)
}()

func silentMP3Reader() io.ReadSeeker { return bytes.NewReader(silentMP3) }
