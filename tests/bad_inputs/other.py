"""Other bad situations: Ctrl-C and SIGTERM inside an endless draw or mid-write,
a hostile environment (preset search path, data folders that are files, no
TMPDIR, no HOME), a ./renders that is a file."""

from __future__ import annotations

import signal

from bad_inputs.files import copy, folder, preset, toml, write
from bad_inputs.harness import Case, StuckAfter
from bad_inputs.presets import FOREVER, rendering

WAV = (copy("s.wav"),)
LONG_RENDER = ("render", "--audio", "long.wav", "--out", "o.mp4", "--size", "64x36", "--fps", "60", "--quiet")
"""About 360 frames: still running when its temporary appears."""

ENDLESS = ("render", "--audio", "s.wav", "--out", "o.mp4", "--size", "64x36", "--seconds", "0.5", "--quiet",
           "--preset", "p")
"""A render whose first frame never finishes (the watchdog, given 300 s here, would stop it)."""
SLOW_WATCHDOG = (("VISUALIZER_FRAME_LIMIT", "300"),)
IN_THE_DRAW = StuckAfter("*.tmp*", cpu_s=1.0)
"""The temporary output exists (the first draw comes next) and a second of CPU has gone since."""

CASES = [
    # Signals end the program promptly, even inside a long C call (a draw that never returns).
    Case("ctrl-c-inside-an-endless-draw", ENDLESS, status=130, setup=rendering(scene=FOREVER), env=SLOW_WATCHDOG,
         interrupt_when=IN_THE_DRAW, words=("interrupted",), timeout=60),
    Case("sigterm-inside-an-endless-draw", ENDLESS, status=130, setup=rendering(scene=FOREVER),
         env=SLOW_WATCHDOG, interrupt_when=IN_THE_DRAW, interrupt_signal=signal.SIGTERM, timeout=60),
    Case("sigterm-mid-render", LONG_RENDER, status=130, setup=(copy("long.wav"),), interrupt_when="*.tmp*", interrupt_signal=signal.SIGTERM),
    # Ctrl-C mid-write: nothing half-written, no folder, no temporary left.
    Case("ctrl-c-mid-render", LONG_RENDER, status=130, setup=(copy("long.wav"),), interrupt_when="*.tmp*",
         words=("interrupted",)),
    Case("ctrl-c-mid-frames", LONG_RENDER[:4] + ("frames/%05d.png",) + LONG_RENDER[5:], status=130,
         setup=(copy("long.wav"),), interrupt_when="frames", words=("interrupted",)),
    Case("ctrl-c-mid-m4a-render", ("render", "--audio", "s.m4a", *LONG_RENDER[3:]), status=130,
         setup=(copy("s.m4a"),), interrupt_when="*.tmp*", words=("interrupted",)),
    # Ctrl-C once the output is in place: the work is done, so it ends with success.
    Case("ctrl-c-once-the-video-is-written", LONG_RENDER, status=0, setup=(copy("long.wav"),),
         interrupt_when="o.mp4", changes=("o.mp4",), not_words=("interrupted",)),
    Case("ctrl-c-during-plot", ("analyze", "long.wav", "--plot", "p.png"), status=(0, 130),
         setup=(copy("long.wav"),), interrupt_when=".p*tmp*", changes=("p.png",)),
    Case("preset-path-variable-names-a-missing-folder", ("presets", "list"),
         env=(("VISUALIZER_PRESET_PATH", "/nonexistent/presets"),), words=("VISUALIZER_PRESET_PATH",)),
    Case("preset-path-variable-names-a-file", ("presets", "list"), setup=(write("afile", "x"),),
         env=(("VISUALIZER_PRESET_PATH", "afile"),), words=("VISUALIZER_PRESET_PATH",)),
    Case("preset-path-variable-empty-entries", ("presets", "list"), status=0, env=(("VISUALIZER_PRESET_PATH", "::"),),
         stdout_has=("mimic_bloom",)),
    Case("project-presets-is-a-file", ("presets", "list"), status=0, setup=(write("presets", "x"),),
         stdout_has=("mimic_bloom",)),
    Case("data-home-is-a-file", ("presets", "list"), status=0, setup=(write("datahome", "x"),),
         env=(("XDG_DATA_HOME", "datahome"),), stdout_has=("mimic_bloom",)),
    Case("renders-is-a-file-default-output", ("render", "--audio", "s.wav", "--size", "64x36", "--seconds", "0.5",
                                              "--quiet"),
         setup=WAV + (write("renders", "x"),), words=("renders",), not_words=("--out",)),
    Case("default-output-into-new-renders", ("render", "--audio", "s.wav", "--size", "64x36", "--seconds", "0.5",
                                             "--quiet", "--preset", "ok"),
         status=0, setup=WAV + (preset("ok", toml("history = 0\n")),), changes=("renders", "renders/*.mp4")),
    Case("preset-folder-named-like-an-option", ("render", "--audio", "s.wav", "--out", "o.mp4", "--size", "64x36",
                                                "--seconds", "0.5", "--quiet", "--preset=--help"),
         setup=WAV, words=("--help",)),
    Case("tmpdir-missing-m4a-render", ("render", "--audio", "s.m4a", "--out", "o.mp4", "--size", "64x36",
                                        "--seconds", "0.5", "--quiet"),
         status=0, setup=(copy("s.m4a"),), env=(("TMPDIR", "/nonexistent/tmp"),), changes=("o.mp4",)),
    Case("home-unset", ("presets", "list"), status=0, env=(("HOME", None), ("XDG_DATA_HOME", None)),
         stdout_has=("mimic_bloom",)),
    Case("frames-folder-holds-other-files", ("render", "--audio", "s.wav", "--out", "frames/%05d.png",
                                             "--size", "64x36", "--seconds", "0.5", "--quiet"),
         status=0, setup=WAV + (folder("frames"), write("frames/notes.txt", "mine\n")),
         changes=("frames/0*.png",)),
]
