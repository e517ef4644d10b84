"""`visualizer live`: the options turned into a show, its rig, and the audio feed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import click


@dataclass(frozen=True)
class LiveOptions:
    """`visualizer live`'s options as typed (checked by their click types)."""

    preset: str | None
    playlist: str | None
    audio: Path | None
    device: int | str | None
    size: tuple[int, int]
    fps: float
    fullscreen: bool
    monitor: int | None
    osc_port: int | None
    osc_host: str
    osc_out: str | None
    midi_port: str | None
    midi_map: Path | None
    stats: Path | None
    duration: float | None
    hud: bool
    screenshot: Path | None


DEMO_SET = "demo"
"""The set `visualizer live` plays without --preset or --playlist."""


def run_live(options: LiveOptions) -> int:
    """Check the options, open the show and run it until quit or --duration; returns frames shown.
    Everything is released whatever happens; the stats file is kept only on a normal end."""
    from visualizer.audio.playback import DeviceFeed, FileFeed
    from visualizer.audio.demo import demo_track_path
    from visualizer.live.rig import LiveRig, RigSettings
    from visualizer.live.show import PlaySettings, Show
    from visualizer.preset.playlist import load_playlist, single_preset_playlist
    from visualizer.preset.loader import resolve_preset

    if options.preset is not None and options.playlist is not None:
        raise click.UsageError("--preset and --playlist: give one of them, a preset or a set")
    if options.audio is not None and options.device is not None:
        raise click.UsageError("--audio-file and --audio-device: give one of them, a file or an input device")
    logging.basicConfig(format="%(levelname)s %(message)s", level=logging.INFO)
    logging.getLogger("OpenGL").setLevel(logging.WARNING)
    if options.preset is not None:
        playlist = single_preset_playlist(resolve_preset(options.preset))
    else:
        playlist = load_playlist(options.playlist or DEMO_SET)
    _check_outputs(options, playlist)
    settings = PlaySettings(None, options.size, options.fps, options.duration, options.screenshot, playlist,
                            options.fullscreen, options.monitor)
    rig_settings = RigSettings(options.osc_port, options.osc_host, options.osc_out, options.midi_port,
                               options.midi_map, options.stats, options.hud)
    feed = DeviceFeed(options.device) if options.device is not None else FileFeed(
        options.audio or demo_track_path(), sound=True)
    try:
        show = Show(settings, feed)
    except BaseException:
        feed.close()
        raise
    try:
        rig = LiveRig(show, rig_settings)
        logging.getLogger("visualizer.live").info(
            "live: %s (%d presets); Esc twice quits, H the HUD", playlist.name, len(playlist.entries))
        try:
            frames = show.run()
        except BaseException:
            rig.close(commit=False)
            raise
        rig.close(commit=True)
        return frames
    finally:
        show.close()


def _check_outputs(options: LiveOptions, playlist) -> None:
    """--stats and --screenshot are checked before the window opens: a bad path fails at once."""
    inputs = {"--audio-file": options.audio, "--playlist": playlist.path, "--midi-map": options.midi_map}
    if options.screenshot is not None:
        from visualizer.output.png import check_screenshot_path

        check_screenshot_path(options.screenshot, inputs)
    if options.stats is not None:
        from visualizer.output.target import check_output_path

        check_output_path(options.stats, "--stats", inputs)
