"""The `visualizer` command line.

A `VisualizerError` (the user's mistake or environment) prints one line on
stderr and exits 2; Ctrl-C exits 130; anything else is our bug (exit 1).
"""

from __future__ import annotations

import errno
import io
import os
import sys
import traceback
from pathlib import Path

import click

from visualizer import guard
from visualizer.cli.options import (
    BPM, FPS, MONITOR, PORT, SECONDS, SSAA, START, Device, FileName, Size, help_with_range,
)
from visualizer.errors import VisualizerError
from visualizer.printable import printable

EXIT_USER_ERROR = 2
EXIT_BUG = 1
EXIT_INTERRUPTED = 130
COMPLETION_VARIABLE = "_VISUALIZER_COMPLETE"
"""Shell completion: `eval "$(_VISUALIZER_COMPLETE=bash_source visualizer)"`."""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="visualizer")
def cli() -> None:
    """Generative art that reacts to music: Mimics, Darol, rainbows and voids."""


@cli.command()
@click.option("--preset", "preset", type=FileName(as_path=False), metavar="NAME|PATH",
              help="Preset name from presets/ or a .toml path.")
@click.option("--playlist", type=FileName(as_path=False), metavar="NAME|FILE|DIR",
              help="Render a set: a playlist's presets changing with the music (see docs/playlists.md).")
@click.option("--audio", type=FileName(), help="Audio file (default: the demo track).")
@click.option("--out", type=FileName(), help="Output .mp4/.mov/.mkv or frames/%05d.png.")
@click.option("--size", type=Size(), default="1280x720", show_default=True, help="Output size in pixels.")
@click.option("--fps", type=FPS, default=30.0, show_default=True, help=help_with_range("Frames per second.", FPS))
@click.option("--seconds", type=SECONDS,
              help=help_with_range("Length to render (default: to the end of the audio).", SECONDS))
@click.option("--start", type=START, default=0.0, show_default=True,
              help=help_with_range("Where in the audio to begin.", START))
@click.option("--ssaa", type=SSAA, default=1, show_default=True, help=help_with_range("Supersampling factor.", SSAA))
@click.option("--beats", type=click.Choice(["offline", "live"]), default="offline", show_default=True,
              help="Whole-track beat grid, or the causal tracker a live show uses.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def render(preset, playlist, audio, out, size, fps, seconds, start, ssaa, beats, quiet) -> None:
    """Render a preset, or a set of them, reacting to an audio file into a video (offline)."""
    from visualizer.output.job import RenderJob
    from visualizer.output.export import export_video
    from visualizer.preset.loader import load_preset
    from visualizer.cli.progress import frame_progress

    if preset is not None and playlist is not None:
        raise click.UsageError("--preset and --playlist: give one of them, a preset or a set")
    sets = _load_playlist(playlist) if playlist is not None else None
    spec = load_preset(sets.entries[0].preset if sets is not None else preset)
    audio_path = audio if audio is not None else _demo_track()
    named = sets.path if sets is not None else spec.path
    out_path = out if out is not None else _default_output(named, audio_path)
    job = RenderJob(spec, audio_path, out_path, size, fps, seconds, start, ssaa, beats,
                    out_option="--out" if out is not None else "output", playlist=sets)
    with frame_progress(enabled=not quiet, label=out_path.name) as progress:
        export_video(job, progress, note=lambda line: click.echo(line, err=True))
    click.echo(f"wrote {out_path}", err=True)


@cli.command()
@click.argument("audio", type=FileName())
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object on stdout.")
@click.option("--mode", type=click.Choice(["offline", "live"]), default="offline", show_default=True,
              help="Whole-track pass, or the causal analyzer with its detection delay.")
@click.option("--plot", type=FileName(), help="Also draw a figure into this PNG.")
def analyze(audio: Path, as_json: bool, mode: str, plot: Path | None) -> None:
    """Tempo, beats, onsets and song structure (sections, builds, drops,
    breakdowns) of an audio file."""
    import json

    from visualizer.audio.decode import AudioFile
    from visualizer.features.track import analyse_track

    if plot is not None:
        from visualizer.output.plot import check_plot_path

        check_plot_path(plot, audio)  # before the analysis: a bad --plot fails at once
    with AudioFile(audio) as decoded:
        analysis = analyse_track(decoded, audio, mode)  # type: ignore[arg-type]
    if plot is not None:
        from visualizer.output.plot import plot_analysis

        plot_analysis(plot, analysis)
    if as_json:
        click.echo(json.dumps(analysis.as_json()))
        return
    click.echo(f"file      {analysis.path}")
    click.echo(f"duration  {analysis.duration:.2f} s at {analysis.sample_rate} Hz")
    click.echo(f"tempo     {analysis.tempo_bpm:.1f} BPM ({mode})")
    click.echo(f"beats     {len(analysis.beats)}")
    click.echo(f"onsets    {len(analysis.onsets)}")
    song = analysis.structure
    drops = "".join(f" {t:.2f}" for t in song.drops[:8]) + (" ..." if len(song.drops) > 8 else "")
    click.echo(f"sections  {len(song.sections)}; builds {len(song.builds)}; breakdowns {len(song.breakdowns)}")
    click.echo(f"drops     {len(song.drops)}" + (f" at{drops} s" if drops else ""))
    if plot is not None:
        click.echo(f"plot      {plot}")


@cli.command()
def devices() -> None:
    """List audio input devices (index, name, channels, default rate)."""
    from visualizer.audio.devices import NO_DEVICES, format_device_table, list_input_devices
    from visualizer.errors import AudioError

    found = list_input_devices()
    if not found:
        raise AudioError(NO_DEVICES)
    click.echo(format_device_table(found))


@cli.command()
@click.option("--audio-device", "device", type=Device(), help="Input device (default: the system's).")
@click.option("--seconds", type=SECONDS, help=help_with_range("Stop after this long (default: until Ctrl-C).", SECONDS))
@click.option("--bpm", type=BPM, help=help_with_range("Manual tempo (the tracker follows only the phase)", BPM))
def listen(device: int | str | None, seconds: float | None, bpm: float | None) -> None:
    """Live analysis of an input device as meters: a sound check."""
    from visualizer.cli.listen import listen as run_listen

    click.echo(str(run_listen(device, seconds, bpm=bpm)), err=True)


def _load_playlist(name: str):
    from visualizer.preset.playlist import load_playlist

    return load_playlist(name)


def _window_options(command):
    """The options `play` and `edit` share: audio source, size, rate, duration."""
    options = (
        click.option("--audio", type=FileName(),
                     help="Preview with a file, heard through the default output (default: the demo track)."),
        click.option("--audio-device", "device", type=Device(), help="Listen to an input device instead."),
        click.option("--size", type=Size(), default="1280x720", show_default=True, help="Window size in pixels."),
        click.option("--fps", type=FPS, default=60.0, show_default=True,
                     help=help_with_range("Frames per second.", FPS)),
        click.option("--seconds", type=SECONDS,
                     help=help_with_range("Close after this long (default: when the window closes).", SECONDS)),
    )
    for option in reversed(options):
        command = option(command)
    return command


@cli.command()
@click.option("--preset", "preset", type=FileName(as_path=False), metavar="NAME|PATH",
              help="Preset name or .toml path (hot-reloads on save).")
@_window_options
@click.option("--screenshot", type=FileName(), help="Save the last frame shown as a PNG.")
def play(preset, audio, device, size, fps, seconds, screenshot) -> None:
    """A preset live in a window: Esc quits, T taps the tempo."""
    from visualizer.live.show import play as run_play

    _run_window(run_play, preset, audio, device, size, fps, seconds, screenshot)


@cli.command()
@click.argument("preset", type=FileName(as_path=False), metavar="NAME|PATH")
@_window_options
@click.option("--screenshot", type=FileName(), help="Save the last frame (with the panel) as a PNG.")
def edit(preset, audio, device, size, fps, seconds, screenshot) -> None:
    """A preset in a window with a panel: Ctrl+Z/Ctrl+Y undo/redo, Ctrl+S saves, F1 hides the panel."""
    from visualizer.live.editor import edit as run_edit

    _run_window(run_edit, preset, audio, device, size, fps, seconds, screenshot)


def _run_window(runner, preset, audio, device, size, fps, seconds, screenshot) -> None:
    """Open the preset's window (play or edit) on a file or an input device."""
    if audio is not None and device is not None:
        raise click.UsageError("--audio and --audio-device: give one of them, a file or an input device")
    import logging

    from visualizer.audio.playback import DeviceFeed, FileFeed
    from visualizer.live.show import PlaySettings
    from visualizer.preset.loader import resolve_preset

    logging.basicConfig(format="%(levelname)s %(message)s", level=logging.INFO)
    logging.getLogger("OpenGL").setLevel(logging.WARNING)  # PyOpenGL's notes on optional modules
    path = resolve_preset(preset)
    if screenshot is not None:  # before the window and the audio: a bad path fails at once
        from visualizer.output.png import check_screenshot_path

        check_screenshot_path(screenshot, {"the preset": path, "--audio": audio})
    feed = DeviceFeed(device) if device is not None else FileFeed(audio or _demo_track(), sound=True)
    frames = runner(PlaySettings(path, size, fps, seconds, screenshot), feed)
    click.echo(f"showed {frames} frames", err=True)


@cli.command()
@click.option("--preset", "preset", type=FileName(as_path=False), metavar="NAME|PATH",
              help="One preset (hot-reloads on save).")
@click.option("--playlist", type=FileName(as_path=False), metavar="NAME|FILE|DIR",
              help="A set: a playlist file or a folder of presets (default: the demo set).")
@click.option("--audio-file", "audio", type=FileName(),
              help="Play a file through the default output; the picture follows what is heard.")
@click.option("--audio-device", "device", type=Device(), help="Listen to an input device (a line-in).")
@click.option("--size", type=Size(), default="1280x720", show_default=True,
              help="Window size in pixels (the picture is drawn at the window's size).")
@click.option("--fps", type=FPS, default=60.0, show_default=True, help=help_with_range("Frames per second.", FPS))
@click.option("--fullscreen", is_flag=True, help="Start fullscreen (F toggles).")
@click.option("--monitor", type=MONITOR, help="Fullscreen on this monitor (0 is the primary).")
@click.option("--osc", "osc_port", type=PORT, help="Listen for OSC control on this UDP port (docs/osc.md).")
@click.option("--osc-host", default="127.0.0.1", show_default=True, help="Address the OSC server binds.")
@click.option("--osc-out", metavar="HOST:PORT", help="Send the audio features as OSC to this address.")
@click.option("--midi", "midi_port", metavar="PORT", help="MIDI input port by name (docs/midi.md).")
@click.option("--midi-map", type=FileName(), help="MIDI mapping file (TOML; learned mappings are saved there).")
@click.option("--stats", type=FileName(), help="Write per-frame times and events here as JSON lines.")
@click.option("--duration", type=SECONDS, help=help_with_range("Stop after this long (default: on quit).", SECONDS))
@click.option("--hud", is_flag=True, help="Show the HUD from the start (H toggles).")
@click.option("--screenshot", type=FileName(), help="Save the last frame shown (HUD included) as a PNG.")
def live(preset, playlist, audio, device, size, fps, fullscreen, monitor, osc_port, osc_host, osc_out,
         midi_port, midi_map, stats, duration, hud, screenshot) -> None:
    """The live show: a set in a window, changing with the music; keys, MIDI and OSC steer it.

    Keys: Right/Left next/previous, R random, 1-9 favourites, Space taps the tempo, B blackout,
    X freeze, H HUD, L lock, [ ] transition length, F fullscreen, Esc twice quits (docs/live.md)."""
    from visualizer.cli.live import LiveOptions, run_live

    frames = run_live(LiveOptions(preset, playlist, audio, device, size, fps, fullscreen, monitor, osc_port,
                                  osc_host, osc_out, midi_port, midi_map, stats, duration, hud, screenshot))
    click.echo(f"showed {frames} frames", err=True)


def _register_groups() -> None:
    from visualizer.cli.presets import presets

    cli.add_command(presets)


_register_groups()


def _demo_track() -> Path:
    from visualizer.audio.demo import demo_track_path

    return demo_track_path()


def _default_output(preset_path: Path | None, audio: Path) -> Path:
    from visualizer.paths import renders_dir
    from visualizer.preset.library import preset_name

    preset = preset_name(preset_path) if preset_path else "render"
    return renders_dir() / f"{preset}-{audio.stem}.mp4"


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the CLI and maps errors to exit statuses. From the command line
    (no `argv`) the command runs in a child process under a supervisor that enforces
    Ctrl-C, SIGTERM and the shader time limits even inside a long GL call (visualizer/supervisor.py).
    Stdout going away (`| head`) ends it quietly with `EXIT_BROKEN_PIPE`; stdout that cannot
    be written (a full disk) is one line and exit 2."""
    from visualizer.render.driver_cache import disable_if_unusable
    from visualizer.supervisor import open_standard_fds, supervise

    if argv is None:
        open_standard_fds()  # first: no pipe or file may take a closed fd 0-2
        _watch_stdout()
        disable_if_unusable()  # before any GL context, a window's too
    guard.output_pending()
    try:
        supervise(enabled=argv is None)
        _run(sys.argv[1:] if argv is None else list(argv))
        sys.stdout.flush()  # here, not at exit, so that a failure is handled below
    except click.exceptions.NoArgsIsHelpError as exc:  # `visualizer` alone asks for its help
        _print_then_exit(exc.ctx.get_help(), 0)
    except click.exceptions.Exit as exc:  # --help, --version
        _exit(exc.exit_code)
    except SystemExit as exc:
        if exc.code == 1 and _StdoutFile.failed == errno.EPIPE:  # rich's answer to a broken pipe
            _stdout_failed(BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE)))
        raise
    except VisualizerError as exc:
        _fail(str(exc), EXIT_USER_ERROR)
    except (click.exceptions.Abort, KeyboardInterrupt):
        if guard.is_output_done():  # Ctrl-C during teardown: the output is whole, keep success
            _exit(0)
        _fail("interrupted; partial output was removed", EXIT_INTERRUPTED)
    except click.ClickException as exc:
        _fail(f"{printable(exc.format_message())} (see visualizer --help)", exc.exit_code)
    except OSError as exc:
        if exc.errno not in _STDOUT_ERRORS or _StdoutFile.failed is None:
            _bug()
        _stdout_failed(exc)
    except Exception:  # our bug: show everything
        _bug()
    _exit(0)


EXIT_BROKEN_PIPE = 128 + 13
"""Stdout's reader went away: the status of a tool killed by SIGPIPE, as `yes | head` reports."""
_STDOUT_ERRORS = {errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG}


class _StdoutFile(io.FileIO):
    """Fd 1, noting that a write to it failed (so an OSError is known to come from stdout)."""

    failed: int | None = None
    """The errno of the write that failed."""

    def write(self, data) -> int | None:  # type: ignore[override]
        try:
            return super().write(data)
        except OSError as exc:
            _StdoutFile.failed = exc.errno
            raise


def _watch_stdout() -> None:
    """Have sys.stdout write through `_StdoutFile`, with the same encoding and buffering."""
    old = sys.stdout
    if not isinstance(old, io.TextIOWrapper) or old.fileno() != 1:
        return
    old.flush()
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(_StdoutFile(1, "w", closefd=False)), encoding=old.encoding,
                                  errors=old.errors, line_buffering=old.line_buffering)


def _stdout_failed(exc: OSError) -> None:
    """Stdout went away (exit quietly) or is full (one line, exit 2); never returns."""
    null = os.open(os.devnull, os.O_WRONLY)  # what is still buffered goes nowhere, at exit too
    os.dup2(null, sys.stdout.fileno())
    os.close(null)
    if exc.errno == errno.EPIPE:
        sys.exit(EXIT_BROKEN_PIPE)
    _fail(f"cannot write the standard output: {exc.strerror}; free some space or write it elsewhere",
          EXIT_USER_ERROR)


def _exit(status: int) -> None:
    """Exit with `status` once stdout took everything (else as `_stdout_failed` says)."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        if exc.errno not in _STDOUT_ERRORS or _StdoutFile.failed is None:
            raise
        _stdout_failed(exc)
    sys.exit(status)


def _print_then_exit(text: str, status: int) -> None:
    try:
        click.echo(text)
    except OSError as exc:
        if exc.errno not in _STDOUT_ERRORS or _StdoutFile.failed is None:
            raise
        _stdout_failed(exc)
    _exit(status)


def _bug() -> None:
    traceback.print_exc()
    _fail("this is a bug in visualizer; please report it with the trace above", EXIT_BUG)


def _run(args: list[str]) -> None:
    """Parse `args` and run the command. Unlike `cli.main`, this leaves Ctrl-C to `main`:
    click would print a blank line before the message."""
    instruction = os.environ.get(COMPLETION_VARIABLE)
    if instruction:  # shell completion, as click's own entry point offers it
        from click.shell_completion import shell_complete

        sys.exit(shell_complete(cli, {}, "visualizer", COMPLETION_VARIABLE, instruction))
    with cli.make_context("visualizer", args) as ctx:
        cli.invoke(ctx)


def _fail(message: str, status: int) -> None:
    """Print `error: message` as the last line and exit with `status` (the supervisor is told:
    it adds no line of its own)."""
    shown = "\n".join(printable(line) for line in message.split("\n"))  # a compile error keeps its lines
    print(f"error: {shown}", file=sys.stderr, flush=True)
    guard.said(status)
    _exit(status)
