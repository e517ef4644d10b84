"""The `visualizer` command line.

A `VisualizerError` (the user's mistake or environment) prints one line on
stderr and exits 2; Ctrl-C exits 130; anything else is our bug (exit 1).
"""

from __future__ import annotations

import signal
import sys
import traceback
from pathlib import Path

import click

from visualizer.errors import VisualizerError

EXIT_USER_ERROR = 2
EXIT_BUG = 1
EXIT_INTERRUPTED = 130


class SizeType(click.ParamType):
    """WIDTHxHEIGHT in pixels, e.g. 1280x720."""

    name = "WxH"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        try:
            width, height = (int(part) for part in str(value).lower().split("x"))
        except ValueError:
            self.fail(f"{value!r} is not WIDTHxHEIGHT, e.g. 1280x720", param, ctx)
        if not (1 <= width <= 16384 and 1 <= height <= 16384):
            self.fail(f"{value!r}: width and height must be 1..16384", param, ctx)
        return width, height


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="visualizer")
def cli() -> None:
    """Generative art that reacts to music: Mimics, Darol, rainbows and voids."""


@cli.command()
@click.option("--preset", "preset", metavar="NAME|PATH", help="Preset name from presets/ or a .toml path.")
@click.option("--audio", type=click.Path(path_type=Path), help="Audio file (default: the demo track).")
@click.option("--out", type=click.Path(path_type=Path), help="Output .mp4/.mov/.mkv or frames/%05d.png.")
@click.option("--size", type=SizeType(), default="1280x720", show_default=True)
@click.option("--fps", type=float, default=30.0, show_default=True)
@click.option("--seconds", type=float, help="Length to render (default: to the end of the audio).")
@click.option("--start", type=float, default=0.0, show_default=True, help="Where in the audio to begin (s).")
@click.option("--ssaa", type=int, default=1, show_default=True, help="Supersampling factor 1..4.")
@click.option("--beats", type=click.Choice(["offline", "live"]), default="offline", show_default=True,
              help="Whole-track beat grid, or the causal tracker a live show uses.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def render(preset, audio, out, size, fps, seconds, start, ssaa, beats, quiet) -> None:
    """Render a preset reacting to an audio file into a video (offline)."""
    from visualizer.output.job import RenderJob
    from visualizer.output.export import export_video
    from visualizer.preset.loader import load_preset
    from visualizer.cli.progress import frame_progress

    spec = load_preset(preset)
    audio_path = audio if audio is not None else _demo_track()
    out_path = out if out is not None else _default_output(spec.path, audio_path)
    job = RenderJob(spec, audio_path, out_path, size, fps, seconds, start, ssaa, beats)
    with frame_progress(enabled=not quiet, label=out_path.name) as progress:
        export_video(job, progress)
    click.echo(f"wrote {out_path}", err=True)


@cli.command()
@click.argument("audio", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object on stdout.")
@click.option("--mode", type=click.Choice(["offline", "live"]), default="offline", show_default=True,
              help="Whole-track pass, or the causal analyzer with its detection delay.")
@click.option("--plot", type=click.Path(path_type=Path), help="Also draw a figure into this PNG.")
def analyze(audio: Path, as_json: bool, mode: str, plot: Path | None) -> None:
    """Tempo, beats and onsets of an audio file."""
    import json

    from visualizer.audio.decode import AudioFile
    from visualizer.features.track import analyse_track

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
@click.option("--audio-device", "device", metavar="NAME|INDEX", help="Input device (default: the system's).")
@click.option("--seconds", type=float, help="Stop after this long (default: until Ctrl-C).")
@click.option("--bpm", type=click.FloatRange(30, 300), help="Manual tempo: the tracker follows only the phase.")
def listen(device: str | None, seconds: float | None, bpm: float | None) -> None:
    """Live analysis of an input device as meters: a sound check."""
    from visualizer.cli.listen import listen as run_listen

    click.echo(str(run_listen(device, seconds, bpm=bpm)), err=True)


def _window_options(command):
    """The options `play` and `edit` share: audio source, size, rate, duration."""
    options = (
        click.option("--audio", type=click.Path(path_type=Path), help="Preview with a file (default: the demo track)."),
        click.option("--audio-device", "device", metavar="NAME|INDEX", help="Listen to an input device instead."),
        click.option("--size", type=SizeType(), default="1280x720", show_default=True),
        click.option("--fps", type=float, default=60.0, show_default=True),
        click.option("--seconds", type=float, help="Close after this long (default: when the window closes)."),
    )
    for option in reversed(options):
        command = option(command)
    return command


@cli.command()
@click.option("--preset", "preset", metavar="NAME|PATH", help="Preset name or .toml path (hot-reloads on save).")
@_window_options
@click.option("--screenshot", type=click.Path(path_type=Path), help="Save the last frame shown as a PNG.")
def play(preset, audio, device, size, fps, seconds, screenshot) -> None:
    """A preset live in a window: Esc quits, T taps the tempo."""
    from visualizer.live.show import play as run_play

    _run_window(run_play, preset, audio, device, size, fps, seconds, screenshot)


@cli.command()
@click.argument("preset", metavar="NAME|PATH")
@_window_options
@click.option("--screenshot", type=click.Path(path_type=Path), help="Save the last frame (with the panel) as a PNG.")
def edit(preset, audio, device, size, fps, seconds, screenshot) -> None:
    """A preset in a window with a panel: Ctrl+Z/Ctrl+Y undo/redo, Ctrl+S saves, F1 hides the panel."""
    from visualizer.live.editor import edit as run_edit

    _run_window(run_edit, preset, audio, device, size, fps, seconds, screenshot)


def _run_window(runner, preset, audio, device, size, fps, seconds, screenshot) -> None:
    """Open the preset's window (play or edit) on a file or an input device."""
    import logging

    from visualizer.audio.playback import DeviceFeed, FileFeed
    from visualizer.live.show import PlaySettings
    from visualizer.preset.loader import resolve_preset

    logging.basicConfig(format="%(levelname)s %(message)s", level=logging.INFO)
    logging.getLogger("OpenGL").setLevel(logging.WARNING)  # PyOpenGL's notes on optional modules
    path = resolve_preset(preset)
    feed = DeviceFeed(device) if device is not None else FileFeed(audio or _demo_track())
    frames = runner(PlaySettings(path, size, fps, seconds, screenshot), feed)
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


def _raise_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the CLI and maps errors to exit statuses."""
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        cli.main(args=argv, prog_name="visualizer", standalone_mode=False)
    except VisualizerError as exc:
        _fail(str(exc), EXIT_USER_ERROR)
    except click.exceptions.Abort:
        _fail("interrupted; partial output was removed", EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        _fail("interrupted; partial output was removed", EXIT_INTERRUPTED)
    except click.ClickException as exc:
        _fail(f"{exc.format_message()} (see visualizer --help)", exc.exit_code)
    except Exception:  # our bug: show everything
        traceback.print_exc()
        _fail("this is a bug in visualizer; please report it with the trace above", EXIT_BUG)
    sys.exit(0)


def _fail(message: str, status: int) -> None:
    print(f"error: {message}", file=sys.stderr)
    sys.exit(status)
