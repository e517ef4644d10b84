"""What a case puts in its work folder before the run, as small setup steps
(each `(work, inputs) -> None`), and the shared inputs the session generates
once: short WAVs (numpy + soundfile) and a few ffmpeg-made files.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import textwrap
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import soundfile

from bad_inputs.harness import Setup

RATE = 44100
SHADER_OK = "void mainImage(out vec4 color, in vec2 pixel) { color = vec4(0.2, 0.4, 0.6, 1.0); }\n"
PASS = '\n[[passes]]\nshader = "scene.glsl"\ntarget = "output"\n'
META = '[meta]\nname = "Bad"\n'


def tone(seconds: float, rate: int = RATE, channels: int = 2) -> np.ndarray:
    """A 110 Hz tone with a 120 BPM kick: (samples, channels) float32 in -1..1."""
    t = np.arange(int(seconds * rate)) / rate
    kick = np.sin(2 * np.pi * 55 * t) * np.exp(-(t % 0.5) * 12)
    mono = 0.3 * np.sin(2 * np.pi * 110 * t) + 0.5 * kick
    return np.repeat(mono[:, None], channels, axis=1).astype(np.float32)


def make_inputs(folder: Path) -> Path:
    """The session's shared inputs (a few seconds of audio each), written once."""
    x = tone(2.0)
    soundfile.write(folder / "s.wav", x, RATE)  # 16-bit PCM
    soundfile.write(folder / "long.wav", tone(6.0), RATE)
    bad = x.copy()
    bad[1000:1100] = np.nan
    bad[5000, 0], bad[6000, 1] = np.inf, -np.inf
    soundfile.write(folder / "nan.wav", bad, RATE, subtype="FLOAT")
    soundfile.write(folder / "loud.wav", x * 1e30, RATE, subtype="FLOAT")
    soundfile.write(folder / "short.wav", x[:100], RATE)
    soundfile.write(folder / "one.wav", x[:1], RATE)
    soundfile.write(folder / "empty.wav", x[:0], RATE)
    soundfile.write(folder / "mono.wav", x[:, 0], RATE)
    soundfile.write(folder / "eight.wav", np.repeat(x[:, :1], 8, axis=1), RATE)
    soundfile.write(folder / "8k.wav", tone(2.0, 8000), 8000)
    soundfile.write(folder / "192k.wav", tone(1.0, 192000), 192000)
    soundfile.write(folder / "f64.wav", x.astype(np.float64), RATE, subtype="DOUBLE")
    soundfile.write(folder / "pcm24.wav", x, RATE, subtype="PCM_24")
    soundfile.write(folder / "silence.wav", np.zeros_like(x), RATE)
    soundfile.write(folder / "s.flac", x, RATE)
    soundfile.write(folder / "s.ogg", x, RATE)
    soundfile.write(folder / "s.aiff", x, RATE)
    soundfile.write(folder / "1hz.wav", x[:4], 1)
    data = (folder / "s.wav").read_bytes()
    (folder / "truncated.wav").write_bytes(data[: len(data) // 2])
    _ffmpeg(folder, "s.mp4", "-i", "s.wav", "-c:a", "aac")
    _ffmpeg(folder, "s.m4a", "-i", "s.wav", "-c:a", "aac")
    _ffmpeg(folder, "s.mp3", "-i", "s.wav")
    _ffmpeg(folder, "silent_video.mp4", "-f", "lavfi", "-i", "color=c=red:s=64x36:d=1", "-an",
            "-pix_fmt", "yuv420p")
    return folder


def _ffmpeg(folder: Path, out: str, *args: str) -> None:
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", *args, out],
                   cwd=folder, check=True, capture_output=True, timeout=60)


# Setup steps: each returns a function (work, inputs) -> None.

def copy(name: str, as_: str | None = None) -> Setup:
    """A shared input, copied (under another name if given)."""
    def step(work: Path, inputs: Path) -> None:
        target = work / (as_ or name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(inputs / name, target)
    return step


def write(name: str, content: str | bytes) -> Setup:
    """A file with this text (dedented) or these bytes."""
    def step(work: Path, inputs: Path) -> None:
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(textwrap.dedent(content).encode())
    return step


def folder(name: str) -> Setup:
    return lambda work, inputs: (work / name).mkdir(parents=True, exist_ok=True)


def fifo(name: str) -> Setup:
    return lambda work, inputs: os.mkfifo(work / name)


def symlink(name: str, target: str) -> Setup:
    return lambda work, inputs: os.symlink(target, work / name)


def hardlink(name: str, target: str) -> Setup:
    return lambda work, inputs: os.link(work / target, work / name)


def device(name: str) -> Setup:
    """A character device node like /dev/full (major 1, minor 7), made in the work folder (root only)."""
    return lambda work, inputs: os.mknod(work / name, stat.S_IFCHR | 0o666, os.makedev(1, 7))


def unix_socket(name: str) -> Setup:
    def step(work: Path, inputs: Path) -> None:
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(work / name))  # the socket file stays after close
    return step


def chmod(name: str, mode: int) -> Setup:
    return lambda work, inputs: os.chmod(work / name, mode)


def preset(name: str, toml: str | bytes, shaders: dict[str, str | bytes | None] | None = None,
           shader: bool = True) -> Setup:
    """A bundle ./presets/NAME: preset.toml (text as given) and its shaders
    (scene.glsl, a valid one, unless replaced or `shader` is False)."""
    files = {"scene.glsl": SHADER_OK} if shader else {}
    files.update(shaders or {})

    def step(work: Path, inputs: Path) -> None:
        bundle = work / "presets" / name
        bundle.mkdir(parents=True, exist_ok=True)
        for file, text in {"preset.toml": toml, **files}.items():
            if text is None:  # a shader the case leaves out
                continue
            data = text if isinstance(text, bytes) else text.encode()
            (bundle / file).parent.mkdir(parents=True, exist_ok=True)
            (bundle / file).write_bytes(data)
    return step


def toml(meta: str = "", rest: str = "") -> str:
    """A preset.toml: [meta] name plus `meta` lines, one output pass, then `rest`."""
    return META + textwrap.dedent(meta) + PASS + textwrap.dedent(rest)


OK_PRESET = preset("ok", toml("history = 0\n"))
"""A valid one-pass bundle ./presets/ok: the cheapest preset to render."""
