"""Decoding audio files: the formats libsndfile reads, ffmpeg for the rest, bad files."""

from __future__ import annotations

import os
import subprocess
import tempfile

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
        assert audio.sample_rate == RATE and audio.channels == 2 and not audio.stores_floats
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


# -- hardening: non-finite samples, file names, ffmpeg through a pipe ----------------------

def make_m4a(path, seconds: float = 2.0) -> None:
    """An AAC file (stereo tone) written by the bundled ffmpeg."""
    wav = path.with_suffix(".source.wav")
    soundfile.write(wav, stereo_tone(seconds), RATE)
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", str(wav), "-c:a", "aac",
                    f"file:{path}"], check=True)
    wav.unlink()


@pytest.fixture(scope="module")
def m4a(tmp_path_factory):
    path = tmp_path_factory.mktemp("m4a") / "tone.m4a"
    make_m4a(path)
    return path


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """Each test its own cache folder (frame counts are remembered there)."""
    monkeypatch.setenv("VISUALIZER_CACHE", str(tmp_path / "cache"))


def test_nan_and_inf_samples_read_as_silence_and_are_counted_once(tmp_path, capsys):
    tone = stereo_tone()
    tone[1000:1100] = np.nan
    tone[5000, 0], tone[6000, 1] = np.inf, -np.inf
    path = tmp_path / "broken.wav"
    soundfile.write(path, tone, RATE, subtype="FLOAT")
    with AudioFile(path) as audio:
        samples = audio.read()
        again = np.concatenate(list(audio.blocks(0, size=3000)))
    assert np.isfinite(samples).all() and np.array_equal(samples, again)
    assert not samples[1000:1100].any() and samples[5000, 0] == 0 and samples[6000, 1] == 0
    assert np.array_equal(samples[2000:3000], tone[2000:3000])  # the rest untouched
    assert audio.stores_floats
    err = capsys.readouterr().err
    assert err == (f"warning: {path}: 202 samples were NaN or infinite and were replaced by silence\n")


def test_a_partial_read_says_at_least(tmp_path, capsys):
    tone = stereo_tone()
    tone[100:110] = np.nan
    tone[30000:30010] = np.nan
    path = tmp_path / "partial.wav"
    soundfile.write(path, tone, RATE, subtype="FLOAT")
    with AudioFile(path) as audio:
        audio.read(0, 1000)
    assert "at least 20 samples were NaN" in capsys.readouterr().err


def test_a_colon_in_the_name_is_a_file_not_a_protocol(m4a, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a:b.m4a").write_bytes(m4a.read_bytes())
    with AudioFile("a:b.m4a") as audio:  # ffmpeg would read "a:" as a protocol
        assert audio.channels == 2 and abs(audio.duration - 2.0) < 0.05


def test_ffmpeg_input_streams_with_no_file_on_disk(m4a, tmp_path, monkeypatch):
    # Temp files would go to a folder that does not exist: a full /tmp cannot matter.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-tmp"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "no-such-tmp"))
    before = set(tmp_path.rglob("*"))
    with AudioFile(m4a) as audio:
        first = next(audio.blocks(0, size=4096))
        assert set(tmp_path.rglob("*")) == before  # mid-stream: nothing written anywhere
        whole = audio.read()
    assert first.shape == (4096, 2) and np.array_equal(whole[:4096], first)
    assert 0.4 < np.abs(whole[RATE // 2:]).max() < 0.6


def test_piped_reads_are_exact_whatever_the_order(m4a):
    with AudioFile(m4a) as audio:
        whole = audio.read()
        assert audio.frames == len(whole)
        forward = [audio.read(s, s + 2048) for s in range(0, 60000, 512)]  # overlapping, in order
        back = audio.read(100, 300)  # far behind: a new ffmpeg, frames skipped
        tail = list(audio.blocks(len(whole) - 5000, size=3000))
    for k, s in enumerate(range(0, 60000, 512)):
        assert np.array_equal(forward[k], whole[s:s + 2048])
    assert np.array_equal(back, whole[100:300])
    assert [len(b) for b in tail] == [3000, 2000] and np.array_equal(np.concatenate(tail), whole[-5000:])


def test_piped_frame_count_is_counted_once_then_remembered(m4a, monkeypatch):
    with AudioFile(m4a) as audio:
        frames = audio.frames
    launched = []
    real_popen = subprocess.Popen
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: launched.append(a) or real_popen(*a, **k))
    with AudioFile(m4a) as audio:
        assert audio.frames == frames and len(launched) == 1  # the reader only: no counting pass
        assert len(audio.read()) == frames


def test_audio_file_without_audio_is_one_error(tmp_path):
    video = tmp_path / "silent.mp4"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i",
                    "color=size=16x16:duration=0.2", "-pix_fmt", "yuv420p", str(video)], check=True)
    with pytest.raises(AudioError, match=r"silent\.mp4: cannot decode audio \(.*\); use WAV"):
        AudioFile(video)


def test_a_folder_is_refused_as_a_folder(tmp_path):
    with pytest.raises(AudioError, match="is a folder"):
        AudioFile(tmp_path)


def test_a_fifo_is_refused_without_opening_it(tmp_path):
    pipe = tmp_path / "p.wav"
    os.mkfifo(pipe)  # opening it for reading would block: no writer
    with pytest.raises(AudioError, match="not a regular file"):
        AudioFile(pipe)


def test_a_sample_rate_too_low_to_analyse_is_refused(tmp_path):
    path = tmp_path / "1hz.wav"
    soundfile.write(path, np.zeros(4, np.float32), 1)
    with pytest.raises(AudioError, match="1 Hz is too low"):
        AudioFile(path)


def test_a_control_character_in_the_name_stays_on_one_line(tmp_path):
    with pytest.raises(AudioError) as caught:
        AudioFile(tmp_path / "a\nb\x1b.wav")
    assert "\n" not in str(caught.value) and "\x1b" not in str(caught.value)


def test_the_nan_warning_is_repeated_when_the_analysis_comes_from_the_cache(tmp_path, capsys, monkeypatch):
    from visualizer.audio import decode
    from visualizer.features.track import track_rhythm

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    samples = np.zeros(22050, np.float32)
    samples[10:15] = np.nan
    soundfile.write(tmp_path / "n.wav", samples, 22050, subtype="FLOAT")
    for run in range(2):
        monkeypatch.setattr(decode, "_warned", set())  # a new process
        with AudioFile(tmp_path / "n.wav") as audio:
            track_rhythm(audio)
        assert "5 samples were NaN" in capsys.readouterr().err, f"run {run}"
