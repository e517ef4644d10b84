"""`visualizer listen`: the live analyzer on an input device, shown as meters.

A sound check for the VJ: is the line-in arriving, are kicks, hats and the
beat detected, what tempo. The analysis runs off the audio callback thread;
the device may vanish and return without stopping this loop.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console
from rich.live import Live
from rich.table import Table

from visualizer.audio.live import LiveInput
from visualizer.features.analyzer import AnalyzerConfig, StreamingAnalyzer
from visualizer.features.frame import FrameFeatures
from visualizer.features.rhythm import LiveRhythm

METER_RATE = 30.0
"""Frames per second of the analysis shown."""


def meter(value: float, width: int = 24) -> str:
    """A text bar for a 0..1 value."""
    filled = round(min(1.0, max(0.0, value)) * width)
    return "█" * filled + "·" * (width - filled)


def meter_table(features: FrameFeatures, status: str) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_row("input", status)
    for name in ("level", "bass", "mid", "high", "onset", "bass_hit", "high_hit", "beat_pulse"):
        value = getattr(features, name)
        table.add_row(name, f"{meter(value)} {value:4.2f}")
    table.add_row("tempo", f"{features.tempo_bpm:6.1f} BPM  confidence {features.tempo_confidence:4.2f}")
    table.add_row("beat", f"{meter(features.beat_phase)} #{features.beat_count}  bar {features.bar_phase:4.2f}")
    table.add_row("song", f"{meter(features.section_phase)} section {features.section}  build "
                  f"{features.build:4.2f}  drop {features.drop:4.2f} #{features.drop_count}  "
                  f"breakdown {features.breakdown:4.2f}")
    return table


@dataclass
class ListenSummary:
    """What a listening session heard."""

    frames: int = 0
    onsets: int = 0
    tempo_bpm: float = 0.0

    def __str__(self) -> str:
        tempo = f"{self.tempo_bpm:.1f} BPM" if self.tempo_bpm else "no tempo yet"
        return f"analysed {self.frames} frames: {self.onsets} onsets, {tempo}"


def listen(device: int | str | None, seconds: float | None, on_frame: Callable[[FrameFeatures], None] | None = None,
           console: Console | None = None, bpm: float | None = None) -> ListenSummary:
    """Analyse `device` (an index or a name) until Ctrl-C or `seconds` pass; Ctrl-C ends it normally.

    `bpm` fixes the tempo (the tracker then only follows the phase)."""
    console = console or Console(stderr=True)
    summary = ListenSummary()
    with LiveInput(device) as live:
        config = AnalyzerConfig(lookahead=False)
        rhythm = LiveRhythm(live.sample_rate)
        rhythm.tracker.set_manual_bpm(bpm)
        analyzer = StreamingAnalyzer(live.sample_rate, METER_RATE, config, rhythm=rhythm)
        deadline = time.monotonic() + seconds if seconds is not None else None
        latest = FrameFeatures.silent()
        try:
            with Live(meter_table(latest, live.status_text), console=console, refresh_per_second=15,
                      transient=True) as view:
                while deadline is None or time.monotonic() < deadline:
                    live.wait(timeout=0.1)
                    for features in analyzer.feed(live.read().samples):
                        summary.frames += 1
                        summary.onsets += features.onset > latest.onset + 0.25  # a new onset pulse
                        summary.tempo_bpm = features.tempo_bpm
                        latest = features
                        if on_frame:
                            on_frame(features)
                    view.update(meter_table(latest, live.status_text))
        except KeyboardInterrupt:  # Ctrl-C is how a sound check ends
            pass
    return summary
