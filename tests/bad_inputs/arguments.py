"""Bad arguments: every numeric option given NaN, infinities, huge, negative
and malformed values; unknown commands and options; missing values. Each
must be refused at parse time with one line naming the option."""

from __future__ import annotations

from bad_inputs.files import OK_PRESET, copy
from bad_inputs.harness import Case

WAV = (copy("s.wav"),)
RENDER = ("render", "--audio", "s.wav", "--out", "o.mp4", "--size", "64x36", "--quiet")
"""A render that would write o.mp4 if the bad value got through."""


def render_with(option: str, value: str, seconds: bool = True) -> tuple[str, ...]:
    return (*RENDER, *(("--seconds", "0.5") if seconds and option != "--seconds" else ()), option, value)


def refused(command: str, option: str, values: dict[str, str], seconds: bool = True, **extra) -> list[Case]:
    """One case per value: `render` (or another command) refuses `option value` naming the option."""
    cases = []
    for label, value in values.items():
        if command == "render":
            argv = render_with(option, value, seconds)
        else:
            argv = (*command.split(), option, value)
        cases.append(Case(f"{command.replace(' ', '-')}{option}-{label}", argv, setup=WAV, words=(option,), **extra))
    return cases


PLAY = ("play", "--preset", "ok", "--audio", "s.wav", "--size", "64x36")
"""A window that would open (and run until killed, without --seconds) if the bad value got through."""

CASES = [
    *refused("render", "--seconds", {"nan": "nan", "inf": "inf", "overflow": "1e999", "negative": "-1",
                                     "zero": "0", "tiny": "1e-9", "with-unit": "5s"}),
    *refused("render", "--start", {"nan": "nan", "inf": "inf", "huge": "1e308", "negative": "-1",
                                   "past-the-end": "60", "at-the-end": "2"}),
    *refused("render", "--fps", {"nan": "nan", "inf": "inf", "huge": "1e308", "zero": "0", "negative": "-30",
                                 "half": "0.5", "above-240": "241"}),
    *refused("render", "--ssaa", {"zero": "0", "five": "5", "negative": "-1", "huge": "99999999999999999999",
                                  "fraction": "1.5", "nan": "nan"}),
    *refused("render", "--size", {"zero": "0x0", "negative": "-64x36", "no-height": "64x", "three-numbers": "64x36x2",
                                  "empty": "", "above-16384": "16385x16", "huge": "99999999999999999999x36",
                                  "fraction": "64.5x36", "nan": "nanxnan"}),
    *refused("render", "--beats", {"unknown": "sometimes"}),
    *refused("listen", "--bpm", {"nan": "nan", "inf": "inf", "zero": "0", "above-300": "301"}),
    Case("listen--bpm-nan-with-a-device",
         ("listen", "--seconds", "1", "--audio-device", "nosuchdevice", "--bpm", "nan"), words=("--bpm",)),
    *refused("listen", "--seconds", {"nan": "nan", "negative": "-1", "inf": "inf"}),
    *refused("analyze s.wav", "--mode", {"unknown": "both"}),
    Case("play--fps-zero", (*PLAY, "--fps", "0"), setup=WAV + (OK_PRESET,), display=True, words=("--fps",),
         timeout=20),
    Case("play--fps-nan", (*PLAY, "--fps", "nan"), setup=WAV + (OK_PRESET,), display=True, words=("--fps",),
         timeout=20),
    Case("play--seconds-nan", (*PLAY, "--seconds", "nan"), setup=WAV + (OK_PRESET,), display=True,
         words=("--seconds",), timeout=20),
    Case("play--size-zero", (*PLAY, "--size", "0x0"), setup=WAV + (OK_PRESET,), display=True,
         words=("--size",), timeout=20),
    Case("edit--fps-nan", ("edit", "ok", "--audio", "s.wav", "--size", "64x36", "--fps", "nan"),
         setup=WAV + (OK_PRESET,), display=True, words=("--fps",), timeout=20),
    Case("play-file-and-device-both", (*PLAY, "--audio-device", "0"), setup=WAV + (OK_PRESET,), display=True,
         words=("--audio-device",), timeout=20),
    Case("render--size-1x1", (*RENDER[:-3], "--seconds", "0.5", "--quiet", "--size", "1x1"), status=(0, 2),
         setup=WAV, changes=("o.mp4",), not_words=("disk space",)),
    Case("render--size-2x2", (*RENDER[:-3], "--seconds", "0.5", "--quiet", "--size", "2x2"), status=(0, 2),
         setup=WAV, changes=("o.mp4",), not_words=("disk space",)),
    Case("render--size-capital-x", (*RENDER[:-3], "--seconds", "0.5", "--quiet", "--size", "64X36"), status=0,
         setup=WAV, changes=("o.mp4",)),
    Case("render--fps-fraction", (*RENDER, "--seconds", "0.5", "--fps", "29.97"), status=0, setup=WAV,
         changes=("o.mp4",)),
    Case("render--fps-repeated-last-bad", (*RENDER, "--seconds", "0.5", "--fps", "30", "--fps", "0"), setup=WAV,
         words=("--fps",)),
    Case("render--seconds-past-the-end-says-so", (*RENDER, "--seconds", "10"), status=0, setup=WAV,
         changes=("o.mp4",), warns=("s.wav",)),
    Case("render-short-audio-never-blames-seconds", ("render", "--audio", "short.wav", "--out", "o.mp4",
                                                     "--size", "64x36", "--quiet"),
         setup=(copy("short.wav"),), words=("short.wav",), not_words=("--seconds",)),
    Case("render-option-without-value", ("render", "--audio", "s.wav", "--out"), setup=WAV, words=("--out",)),
    Case("render-unknown-option", (*RENDER, "--frobnicate", "3"), setup=WAV, words=("--frobnicate",)),
    Case("render-extra-argument", (*RENDER, "--seconds", "0.5", "extra"), setup=WAV, words=("extra",)),
    Case("render-empty-audio-name", ("render", "--audio", "", "--out", "o.mp4", "--quiet"), words=("--audio",)),
    Case("render-empty-preset-name", (*RENDER, "--seconds", "0.5", "--preset", ""), setup=WAV,
         words=("--preset",)),
    Case("unknown-command", ("rendr",), words=("rendr",)),
    Case("analyze-without-audio", ("analyze",), words=("AUDIO",)),
    Case("edit-without-preset", ("edit",), words=("NAME",)),
    Case("presets-unknown-subcommand", ("presets", "delete", "x"), words=("delete",)),
    Case("listen-audio-device-index-out-of-range", ("listen", "--seconds", "1", "--audio-device", "99999"),
         words=("99999",)),
    Case("no-command-prints-help", (), status=0, stdout_has=("render",)),
    Case("version", ("--version",), status=0, stdout_has=("0.",)),
    Case("render-help", ("render", "--help"), status=0, stdout_has=("--out",)),
]
