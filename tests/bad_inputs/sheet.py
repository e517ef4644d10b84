"""Bad inputs of `presets sheet`: its --out (a folder, a FIFO, a read-only folder,
an input, not a PNG), its --audio (missing, garbage, empty, too short, silent),
its --size and --preset; and the runs that must simply work."""

from __future__ import annotations

from bad_inputs.audio import GARBAGE
from bad_inputs.files import OK_PRESET, chmod, copy, fifo, folder, hardlink, preset, symlink, toml, write
from bad_inputs.harness import Case
from bad_inputs.outputs import magic

WAV = (copy("s.wav"), OK_PRESET)
SHEET = ("presets", "sheet", "--preset", "ok", "--size", "32x18")
"""The cheapest sheet: one one-pass preset, tiny tiles."""


def sheet(*extra: str, audio: str = "s.wav") -> tuple[str, ...]:
    return (*SHEET, "--audio", audio, *extra)


def refused_audio(id: str, name: str, setup: tuple, *words: str, **extra) -> Case:
    """`presets sheet --audio NAME` refuses it in one line naming it."""
    return Case(f"sheet-audio-{id}", sheet("--out", "p.png", audio=name), setup=(OK_PRESET, *setup),
                words=words or (name,), **extra)


BROKEN_SHADER = "void mainImage(out vec4 color, in vec2 pixel) { color = oops; }\n"

CASES = [
    # Runs that work: the PNG is written, whole, where named (or under ./renders).
    Case("sheet-png", sheet("--out", "p.png"), status=0, setup=WAV, changes=("p.png",),
         check=magic("p.png", b"\x89PNG"), warns=("moments from s.wav",)),
    Case("sheet-default-output", sheet(), status=0, setup=WAV,
         changes=("renders", "renders/presets-sheet-s.png")),
    Case("sheet-new-folders", sheet("--out", "new/sub/p.png"), status=0, setup=WAV,
         changes=("new", "new/sub", "new/sub/p.png")),
    Case("sheet-upper-case-suffix", sheet("--out", "p.PNG"), status=0, setup=WAV, changes=("p.PNG",)),
    Case("sheet-silent-audio", sheet("--out", "p.png", audio="silence.wav"), status=0,
         setup=(copy("silence.wav"), OK_PRESET), changes=("p.png",), warns=("no drop found", "no build found")),
    Case("sheet-preset-that-does-not-compile", (*sheet("--out", "p.png"), "--preset", "bad"), status=0,
         setup=WAV + (preset("bad", toml("history = 0\n"), {"scene.glsl": BROKEN_SHADER}),),
         changes=("p.png",), warns=("bad", "not drawn")),
    # --out: what is there, or where it is, forbids writing.
    Case("sheet-out-directory", sheet("--out", "p.png"), setup=WAV + (folder("p.png"),), words=("p.png",)),
    Case("sheet-out-fifo", sheet("--out", "p.png"), setup=WAV + (fifo("p.png"),), words=("p.png",)),
    Case("sheet-out-read-only-folder", sheet("--out", "ro/p.png"), setup=WAV + (folder("ro"), chmod("ro", 0o555)),
         words=("ro",), root=False),
    Case("sheet-out-under-a-file", sheet("--out", "s.wav/p.png"), setup=WAV, words=("s.wav",)),
    Case("sheet-out-not-png", sheet("--out", "p.jpg"), setup=WAV, words=("p.jpg", ".png")),
    Case("sheet-out-is-the-audio", sheet("--out", "s.wav"), setup=WAV, words=("s.wav",)),
    Case("sheet-out-hard-link-to-the-audio", sheet("--out", "h.png"), setup=WAV + (hardlink("h.png", "s.wav"),),
         words=("h.png",)),
    Case("sheet-out-symlink-to-the-audio", sheet("--out", "l.png"), setup=WAV + (symlink("l.png", "s.wav"),),
         words=("l.png",)),
    Case("sheet-out-empty", sheet("--out", ""), setup=WAV, words=("--out",)),
    # --audio: not audio, or too little of it.
    refused_audio("missing", "gone.wav", ()),
    refused_audio("garbage", "junk.wav", (write("junk.wav", GARBAGE),)),
    refused_audio("empty", "empty.wav", (copy("empty.wav"),)),
    refused_audio("directory", "songs", (folder("songs"),), not_words=("not found",)),
    refused_audio("shorter-than-one-frame", "short.wav", (copy("short.wav"),)),
    # --size and --preset.
    Case("sheet-size-zero", (*SHEET[:-2], "--size", "0x0", "--audio", "s.wav"), setup=WAV, words=("--size",)),
    Case("sheet-size-too-big", (*SHEET[:-2], "--size", "4000x10", "--audio", "s.wav", "--out", "p.png"),
         setup=WAV, words=("--size", "4000x10")),
    Case("sheet-unknown-preset", ("presets", "sheet", "--preset", "nosuch", "--audio", "s.wav", "--out", "p.png"),
         setup=WAV, words=("nosuch",)),
    # Ctrl-C while the tiles are drawn: nothing written, no temporary left.
    Case("sheet-ctrl-c", sheet("--out", "p.png", audio="long.wav"), status=(0, 130),
         setup=(copy("long.wav"), OK_PRESET), interrupt_when=1.5, changes=("p.png",)),
    Case("sheet-ctrl-c-once-written", sheet("--out", "p.png", audio="long.wav"), status=0,
         setup=(copy("long.wav"), OK_PRESET), interrupt_when="p.png", changes=("p.png",),
         not_words=("interrupted",)),
]
