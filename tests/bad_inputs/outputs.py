"""Bad outputs: `render --out`, `analyze --plot`, `play --screenshot` pointed at
things that are not a new name or a regular file, at an input, at patterns and
names the encoder or the file system refuses."""

from __future__ import annotations

from bad_inputs.files import OK_PRESET, chmod, copy, device, fifo, folder, hardlink, symlink, unix_socket, write
from bad_inputs.harness import TINY, Case

WAV = (copy("s.wav"),)
MP4_IN = (copy("s.mp4"),)
OLD = b"old bytes the user owns\n"


def render(*extra: str) -> tuple[str, ...]:
    return ("render", "--audio", "s.wav", *TINY, *extra)


def magic(name: str, *prefixes: bytes):
    """A check: the file starts with one of these byte strings (the format its suffix names)."""
    def check(work) -> None:
        head = (work / name).read_bytes()[:64].lstrip()
        assert head.startswith(prefixes), f"{name} starts with {head[:16]!r}"
    return check


def still_a_link(name: str):
    def check(work) -> None:
        assert (work / name).is_symlink(), f"{name} was replaced; the link must stay"
    return check


CASES = [
    # Something other than a regular file at the output path (data loss today).
    Case("out-fifo", render("--out", "o.mp4"), setup=WAV + (fifo("o.mp4"),), words=("o.mp4",)),
    Case("out-fifo-through-symlink", render("--out", "o.mp4"),
         setup=WAV + (fifo("pipe"), symlink("o.mp4", "pipe")), words=("o.mp4",)),
    Case("plot-fifo", ("analyze", "s.wav", "--plot", "p.png"), setup=WAV + (fifo("p.png"),), words=("p.png",)),
    Case("out-device", render("--out", "o.mp4"), setup=WAV + (device("o.mp4"),), words=("o.mp4",), root=True),
    Case("plot-device-like-dev-full", ("analyze", "s.wav", "--plot", "full"),
         setup=WAV + (device("full"),), words=("full",), root=True),
    Case("plot-symlink-to-device", ("analyze", "s.wav", "--plot", "p.png"),
         setup=WAV + (device("full"), symlink("p.png", "full")), words=("p.png",), root=True),
    Case("out-socket", render("--out", "o.mp4"), setup=WAV + (unix_socket("o.mp4"),), words=("o.mp4",)),
    Case("plot-socket", ("analyze", "s.wav", "--plot", "p.png"), setup=WAV + (unix_socket("p.png"),),
         words=("p.png",)),
    Case("out-directory", render("--out", "o.mp4"), setup=WAV + (folder("o.mp4"),), words=("o.mp4",)),
    Case("plot-directory", ("analyze", "s.wav", "--plot", "p.png"), setup=WAV + (folder("p.png"),),
         words=("p.png",)),
    Case("out-frames-folder-is-a-file", render("--out", "s.wav/%05d.png"), setup=WAV, words=("s.wav",)),
    Case("out-under-a-file", render("--out", "s.wav/o.mp4"), setup=WAV, words=("s.wav",)),
    Case("out-symlink-loop", render("--out", "a.mp4"),
         setup=WAV + (symlink("a.mp4", "b.mp4"), symlink("b.mp4", "a.mp4")), words=("a.mp4",)),
    # A symlink is followed and judged at its target.
    Case("out-symlink-to-regular-file", render("--out", "o.mp4"), status=0,
         setup=WAV + (write("t.mp4", OLD), symlink("o.mp4", "t.mp4")), changes=("o.mp4", "t.mp4"),
         check=still_a_link("o.mp4")),
    Case("out-dangling-symlink", render("--out", "o.mp4"), status=(0, 2),
         setup=WAV + (symlink("o.mp4", "new.mp4"),), changes=("o.mp4", "new.mp4"), check=still_a_link("o.mp4")),
    # The output is an input (by name, by another spelling, by a hard or symbolic link).
    Case("out-is-the-audio", ("render", "--audio", "s.mp4", *TINY, "--out", "s.mp4"), setup=MP4_IN,
         words=("s.mp4",)),
    Case("out-is-the-audio-spelled-otherwise", ("render", "--audio", "s.mp4", *TINY, "--out", "sub/../s.mp4"),
         setup=MP4_IN + (folder("sub"),), words=("s.mp4",)),
    Case("out-hard-link-to-the-audio", ("render", "--audio", "s.mp4", *TINY, "--out", "h.mp4"),
         setup=MP4_IN + (hardlink("h.mp4", "s.mp4"),), words=("h.mp4",)),
    Case("out-symlink-to-the-audio", ("render", "--audio", "s.mp4", *TINY, "--out", "l.mp4"),
         setup=MP4_IN + (symlink("l.mp4", "s.mp4"),), words=("l.mp4",)),
    Case("plot-is-the-audio", ("analyze", "s.wav", "--plot", "s.wav"), setup=WAV, words=("s.wav",)),
    Case("plot-is-the-mp4-audio", ("analyze", "s.mp4", "--plot", "s.mp4"), setup=MP4_IN, words=("s.mp4",)),
    Case("plot-hard-link-to-the-audio", ("analyze", "s.wav", "--plot", "h.png"),
         setup=WAV + (hardlink("h.png", "s.wav"),), words=("h.png",)),
    Case("plot-symlink-to-the-audio", ("analyze", "s.wav", "--plot", "l.png"),
         setup=WAV + (symlink("l.png", "s.wav"),), words=("l.png",)),
    # Patterns, suffixes and names.
    Case("out-pattern-percent-s", render("--out", "%s.png"), setup=WAV, words=("%s.png",),
         not_words=("disk space",)),
    Case("out-pattern-two-numbers", render("--out", "f%05d_%05d.png"), setup=WAV, words=("%05d",),
         not_words=("disk space",)),
    Case("out-pattern-percent-n", render("--out", "f%n.png"), setup=WAV, words=("%n",), not_words=("disk space",)),
    Case("out-single-png", render("--out", "one.png"), setup=WAV, words=("one.png",)),
    Case("out-unknown-suffix", render("--out", "o.avi"), setup=WAV, words=("o.avi",)),
    Case("out-text-suffix", render("--out", "notes.txt"), setup=WAV, words=("notes.txt",)),
    Case("out-no-suffix", render("--out", "clip"), setup=WAV, words=("clip",)),
    Case("out-dash", render("--out", "-"), setup=WAV),
    Case("out-empty", render("--out", ""), setup=WAV, words=("--out",)),
    Case("out-dot", render("--out", "."), setup=WAV),
    Case("out-name-too-long", render("--out", "a" * 300 + ".mp4"), setup=WAV, words=("aaaa",)),
    Case("out-name-at-the-limit", render("--out", "b" * 251 + ".mp4"), status=(0, 2), setup=WAV,
         changes=("b" * 251 + ".mp4",), not_words=("disk space",)),
    Case("out-unicode-name", render("--out", "clip ünï 🎵.mp4"), status=0, setup=WAV,
         changes=("clip ünï 🎵.mp4",)),
    Case("out-upper-case-suffix", render("--out", "o.MP4"), status=0, setup=WAV, changes=("o.MP4",)),
    Case("out-overwrites-the-named-file", render("--out", "o.mp4"), status=0, setup=WAV + (write("o.mp4", OLD),),
         changes=("o.mp4",)),
    Case("out-new-folders", render("--out", "new/sub/o.mp4"), status=0, setup=WAV,
         changes=("new", "new/sub", "new/sub/o.mp4")),
    Case("out-frames", render("--out", "frames/%05d.png"), status=0, setup=WAV,
         changes=("frames", "frames/00000.png", "frames/*.png")),
    Case("out-new-folder-left-none-on-early-failure", render("--out", "new/o.mp4", "--preset", "nosuch"),
         setup=WAV, words=("nosuch",)),
    Case("out-new-folder-left-none-on-late-failure", ("render", "--audio", "short.wav", "--out", "new/o.mp4",
                                                        "--size", "64x36", "--quiet"),
         setup=(copy("short.wav"),), words=("short.wav",)),
    Case("out-newline-in-folder-name", render("--out", "x\ny/o.mp4"), setup=WAV + (write("x\ny", OLD),)),
    Case("out-read-only-folder", render("--out", "ro/o.mp4"), setup=WAV + (folder("ro"), chmod("ro", 0o555)),
         words=("ro",), root=False),
    Case("out-odd-size-mp4", ("render", "--audio", "s.wav", "--size", "63x35", "--seconds", "0.5", "--quiet",
                              "--out", "o.mp4"), setup=WAV, words=("63x35",)),
    Case("out-huge-size", ("render", "--audio", "s.wav", "--size", "16384x16384", "--seconds", "0.04", "--quiet",
                           "--out", "o.mp4"), setup=WAV, words=("16384",), not_words=("disk space",)),
    Case("out-wide-size", ("render", "--audio", "s.wav", "--size", "16384x16", "--seconds", "0.04", "--quiet",
                           "--out", "o.mp4"), status=(0, 2), setup=WAV, changes=("o.mp4",),
         not_words=("disk space",)),
    # --plot formats (write what the suffix names, or refuse).
    Case("plot-jpg", ("analyze", "s.wav", "--plot", "x.jpg"), status=(0, 2), setup=WAV, changes=("x.jpg",),
         check=magic("x.jpg", b"\xff\xd8\xff"), words=("x.jpg",)),
    Case("plot-svg", ("analyze", "s.wav", "--plot", "x.svg"), status=(0, 2), setup=WAV, changes=("x.svg",),
         check=magic("x.svg", b"<?xml", b"<svg"), words=("x.svg",)),
    Case("plot-unknown-suffix", ("analyze", "s.wav", "--plot", "x.xyz"), setup=WAV, words=("x.xyz",)),
    Case("plot-png", ("analyze", "s.wav", "--plot", "p.png"), status=0, setup=WAV, changes=("p.png",),
         check=magic("p.png", b"\x89PNG")),
    Case("plot-missing-folder", ("analyze", "s.wav", "--plot", "missing/p.png"), status=(0, 2), setup=WAV,
         changes=("missing", "missing/p.png"), words=("missing",)),
    # play --screenshot: checked before the window opens (no --seconds: a late check never returns).
    Case("screenshot-missing-folder", ("play", "--preset", "ok", "--audio", "s.wav", "--size", "64x36", "--fps", "5",
                                       "--screenshot", "missing/dir/s.png"),
         setup=WAV + (OK_PRESET,), display=True, words=("missing/dir",), timeout=20),
    Case("screenshot-directory", ("play", "--preset", "ok", "--audio", "s.wav", "--size", "64x36", "--fps", "5",
                                  "--screenshot", "shots"),
         setup=WAV + (folder("shots"), OK_PRESET), display=True, words=("shots",),
         timeout=20),
    Case("screenshot-is-the-audio", ("play", "--preset", "ok", "--audio", "s.wav", "--size", "64x36", "--fps", "5",
                                     "--screenshot", "s.wav"),
         setup=WAV + (OK_PRESET,), display=True, words=("s.wav",), timeout=20),
    Case("edit-screenshot-missing-folder", ("edit", "ok", "--audio", "s.wav", "--size", "64x36", "--fps", "5",
                                            "--screenshot", "missing/dir/e.png"),
         setup=WAV + (OK_PRESET,), display=True, words=("missing/dir",), timeout=20),
]
