"""Bad audio: empty, truncated, garbage and lying files, odd formats, NaN/Inf
samples, names ffmpeg could read as a protocol, things that are not files,
and audio too short to draw one frame."""

from __future__ import annotations

from bad_inputs.files import OK_PRESET, chmod, copy, fifo, folder, symlink, write
from bad_inputs.harness import TINY, Case


def render(audio: str, *extra: str) -> tuple[str, ...]:
    return ("render", "--audio", audio, "--out", "o.mp4", *TINY, *extra)


def works(id: str, name: str, source: str | None = None, warns: tuple[str, ...] = ()) -> list[Case]:
    """`render` and `analyze` both work on this input (copied from `source` under `name`)."""
    setup = (copy(source or name, name),)
    return [Case(f"{id}-render", render(name), status=0, setup=setup, changes=("o.mp4",), warns=warns),
            Case(f"{id}-analyze", ("analyze", name), status=0, setup=setup, warns=warns)]


def decodes(id: str, name: str, source: str | None = None) -> Case:
    """`analyze` works on this input (the decoder `render` shares)."""
    return Case(f"{id}-analyze", ("analyze", name), status=0, setup=(copy(source or name, name),))


def refused_by_analyze(id: str, name: str, setup: tuple, *words: str, **extra) -> list[Case]:
    """`analyze` refuses this input in one line naming it (`render` decodes the same way)."""
    return [Case(f"{id}-analyze", ("analyze", name), setup=setup, words=words or (name,), **extra)]


def refused(id: str, name: str, setup: tuple, *words: str, **extra) -> list[Case]:
    """`render` and `analyze` both refuse this input in one line naming it."""
    words = words or (name,)
    return [Case(f"{id}-render", render(name), setup=setup, words=words, **extra),
            Case(f"{id}-analyze", ("analyze", name), setup=setup, words=words, **extra)]


WAV_HEADER_RATE = 24
WAV_HEADER_CHANNELS = 22


def patched_wav(name: str, offset: int, value: bytes):
    """s.wav with `value` written over its header at `offset`."""
    def step(work, inputs) -> None:
        data = bytearray((inputs / "s.wav").read_bytes())
        data[offset:offset + len(value)] = value
        (work / name).write_bytes(bytes(data))
    return step


GARBAGE = bytes(range(256)) * 64

CASES = [
    # The cases.
    *works("samples-nan-and-inf", "nan.wav", warns=("nan.wav",)),
    *works("name-with-a-colon", "a:b.wav", "s.wav"),
    *works("name-like-an-ffmpeg-protocol", "concat:s.wav", "s.wav"),
    *works("mp4-name-with-a-colon", "x:y.mp4", "s.mp4"),
    Case("shorter-than-one-frame", render("short.wav")[:-3] + ("--quiet",), setup=(copy("short.wav"),),
         words=("short.wav",), not_words=("--seconds",)),
    Case("one-sample", render("one.wav")[:-3] + ("--quiet",), setup=(copy("one.wav"),), words=("one.wav",),
         not_words=("--seconds",)),
    # Formats and shapes that must simply work.
    *works("m4a", "s.m4a"),
    *works("video-container", "s.mp4"),
    decodes("mono", "mono.wav"),
    decodes("eight-channels", "eight.wav"),
    decodes("rate-8k", "8k.wav"),
    decodes("rate-192k", "192k.wav"),
    decodes("float64", "f64.wav"),
    decodes("pcm24", "pcm24.wav"),
    decodes("silence", "silence.wav"),
    decodes("flac", "s.flac"),
    decodes("ogg", "s.ogg"),
    decodes("aiff", "s.aiff"),
    decodes("mp3", "s.mp3"),
    decodes("flac-named-wav", "really-flac.wav", "s.flac"),
    decodes("wav-named-mp3", "really-wav.mp3", "s.wav"),
    decodes("truncated-wav", "truncated.wav"),
    Case("eight-channels-render", render("eight.wav"), status=0, setup=(copy("eight.wav"),), changes=("o.mp4",)),
    Case("unicode-name-render", render("chanson ünï 🎵.wav"), status=0,
         setup=(copy("s.wav", "chanson ünï 🎵.wav"),), changes=("o.mp4",)),
    Case("leading-dash-name-render", render("-x.wav"), status=0, setup=(copy("s.wav", "-x.wav"),),
         changes=("o.mp4",)),
    Case("leading-dash-name-analyze", ("analyze", "--", "-x.wav"), status=0, setup=(copy("s.wav", "-x.wav"),)),
    Case("loud-float-samples-render", render("loud.wav"), status=(0, 2), setup=(copy("loud.wav"),),
         changes=("o.mp4",), words=("loud.wav",), not_words=("mid-way",)),
    decodes("loud-float-samples", "loud.wav"),
    Case("rate-1hz-render", render("1hz.wav")[:-3] + ("--quiet",), status=(0, 2), setup=(copy("1hz.wav"),),
         changes=("o.mp4",), words=("1hz.wav",)),
    Case("rate-1hz-analyze", ("analyze", "1hz.wav"), status=(0, 2), setup=(copy("1hz.wav"),), words=("1hz.wav",)),
    # Broken files: one line naming the file.
    *refused("empty-wav", "empty.wav", (copy("empty.wav"),)),
    *refused("zero-bytes-wav", "zero.wav", (write("zero.wav", b""),)),
    *refused_by_analyze("zero-bytes-mp3", "zero.mp3", (write("zero.mp3", b""),)),
    *refused("garbage-wav", "junk.wav", (write("junk.wav", GARBAGE),)),
    *refused_by_analyze("text-named-wav", "notes.wav", (write("notes.wav", "Not audio, just a note.\n" * 40),)),
    *refused("garbage-m4a", "junk.m4a", (write("junk.m4a", GARBAGE),)),
    *refused_by_analyze("garbage-mp3", "junk.mp3", (write("junk.mp3", GARBAGE),)),
    *refused_by_analyze("video-without-sound", "silent_video.mp4", (copy("silent_video.mp4"),)),
    *refused_by_analyze("header-rate-zero", "rate0.wav", (patched_wav("rate0.wav", WAV_HEADER_RATE, b"\0\0\0\0"),)),
    *refused_by_analyze("header-65535-channels", "chans.wav",
                        (patched_wav("chans.wav", WAV_HEADER_CHANNELS, b"\xff\xff"),)),
    # Things that are not audio files.
    *refused("missing-file", "gone.wav", ()),
    *refused("directory", "songs", (folder("songs"),), not_words=("not found",)),
    *refused_by_analyze("symlink-loop", "loop.wav",
                        (symlink("loop.wav", "loop2.wav"), symlink("loop2.wav", "loop.wav"))),
    *refused_by_analyze("dangling-symlink", "dangling.wav", (symlink("dangling.wav", "gone.wav"),)),
    *refused("fifo-without-writer", "pipe.wav", (fifo("pipe.wav"),), timeout=20, not_words=("not found",)),
    *refused("unreadable", "locked.wav", (copy("s.wav", "locked.wav"), chmod("locked.wav", 0)), root=False),
    Case("newline-in-missing-name", render("a\nb.wav"), words=("b.wav",)),
    Case("newline-in-garbage-name", ("analyze", "x\ny.wav"), setup=(write("x\ny.wav", GARBAGE),), words=("y.wav",)),
    Case("terminal-escape-in-missing-name", ("analyze", "\x1b[2Jgone.wav"), words=("gone.wav",),
         not_words=("\x1b",)),
    # play / edit without a display: one line, nothing decoded first.
    Case("play-without-display", ("play", "--preset", "ok", "--audio", "s.wav", "--seconds", "1"),
         setup=(copy("s.wav"), OK_PRESET), words=("display",)),
    Case("edit-without-display", ("edit", "ok", "--audio", "s.wav", "--seconds", "1"),
         setup=(copy("s.wav"), OK_PRESET), words=("display",)),
    Case("play-missing-audio", ("play", "--preset", "ok", "--audio", "gone.wav", "--seconds", "1"),
         setup=(OK_PRESET,), display=True, words=("gone.wav",), timeout=20),
]
