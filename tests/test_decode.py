"""Decoding audio files: the formats libsndfile reads, ffmpeg for the rest, bad files."""

from __future__ import annotations

import subprocess

import imageio_ffmpeg
import numpy as np
import pytest
import soundfile

from visualizer.audio.decode import AudioFile
from visualizer.errors import AudioError

RATE = 44100


def stereo_tone(seconds: float = 1.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    left = 0.5 * np.sin(2 * np.pi * 440 * t)
    return np.stack([left, -left], axis=1).astype(np.float32)


@pytest.mark.parametrize("suffix", [".wav", ".flac", ".ogg", ".mp3"])
def test_common_formats_decode_to_float32(tmp_path, suffix):
    path = tmp_path / f"tone{suffix}"
    soundfile.write(path, stereo_tone(), RATE)
    with AudioFile(path) as audio:
        assert audio.sample_rate == RATE and audio.channels == 2
        assert abs(audio.duration - 1.0) < 0.06  # MP3/OGG pad a little
        samples = audio.read()
    assert samples.dtype == np.float32 and samples.shape[1] == 2
    assert 0.4 < np.abs(samples).max() < 0.6


def test_other_formats_go_through_ffmpeg(tmp_path):
    wav, m4a = tmp_path / "tone.wav", tmp_path / "tone.m4a"
    soundfile.write(wav, stereo_tone(), RATE)
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(wav), "-c:a", "aac", str(m4a)], check=True)
    with AudioFile(m4a) as audio:
        assert audio.channels == 2 and abs(audio.duration - 1.0) < 0.1


def test_blocks_stream_a_range(tmp_path):
    path = tmp_path / "tone.wav"
    soundfile.write(path, stereo_tone(), RATE)
    with AudioFile(path) as audio:
        blocks = list(audio.blocks(start=100, stop=10100, size=3000))
        whole = audio.read()
    assert [len(b) for b in blocks] == [3000, 3000, 3000, 1000]
    assert np.array_equal(np.concatenate(blocks), whole[100:10100])


def test_missing_file_is_an_audio_error(tmp_path):
    with pytest.raises(AudioError, match="audio file not found; check the path"):
        AudioFile(tmp_path / "nope.wav")


@pytest.mark.parametrize("content", [b"not audio at all\n" * 100, b"RIFF\x10\x00\x00\x00WAVEfmt "])
def test_corrupt_file_is_an_audio_error(tmp_path, content):
    path = tmp_path / "broken.mp3"
    path.write_bytes(content)
    with pytest.raises(AudioError, match=r"broken\.mp3: cannot decode audio"):
        AudioFile(path)
