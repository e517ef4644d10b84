"""Audio-to-frame latency for bench/live.py: clicks heard on the null sink's monitor
against the first frame presented with each click's onset.

Definition (all times `time.perf_counter` seconds in this process):
  heard    the click's first sample on the null sink's monitor: the ADC time PortAudio
           gives the monitor block holding it, plus its offset in the block / rate, moved
           onto perf_counter by the smallest (perf_counter - stream time) of any callback
           (the frame loop holds the GIL for long stretches: a late callback must not
           make the click look late);
           the sink plays what `FileFeed` sends, so this is when the audience hears it;
  shown    the end of `host.present()` (the swap) for the first frame whose features
           show the onset: its `onset` pulse jumps (by more than `JUMP`, from the
           decayed pulse of the click before);
  latency  shown - heard.
It splits into: heard -> handed out (the first `FileFeed.read()` returning the click's
sample: `read()` hands out what has been heard, once a frame) and handed out -> shown
(detector delay, later frames, the frame's work and swap).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from pulse import click_track, find_clicks  # noqa: E402

from visualizer.audio.devices import portaudio  # noqa: E402

RATE = 48000
JUMP = 0.25
"""An onset pulse rising this much from one frame to the next is a new onset (clicks
`spacing` s apart leave the pulse under 0.05 when the next comes)."""
MATCH_S = 0.25
"""A frame later than this after a click does not count as showing it."""


def clicks_file(folder: Path, seconds: float, spacing: float) -> tuple[Path, np.ndarray]:
    """A stereo 48 kHz WAV of clicks `spacing` s apart over a -60 dBFS noise floor;
    returns it and the clicks' first samples."""
    import soundfile

    count = int(seconds / spacing) + 4
    track = click_track(count, spacing, lead_s=0.5, rate=RATE)
    noise = np.random.default_rng(7).standard_normal(len(track)).astype(np.float32) * 1e-3
    path = folder / "clicks.wav"
    soundfile.write(path, np.stack([track + noise] * 2, axis=1), RATE, subtype="FLOAT")
    return path, find_clicks(track)


class Monitor:
    """The null sink's monitor recorded in this process, each block with its ADC time."""

    def __init__(self):
        self.blocks: list[tuple[np.ndarray, float]] = []  # samples, ADC time on the stream's clock
        self.offsets: list[float] = []
        self.stream = portaudio().InputStream(device="default", samplerate=RATE, channels=1,
                                              dtype="float32", latency="low", callback=self._record)

    def _record(self, indata, frames, times, status) -> None:
        self.blocks.append((indata[:, 0].copy(), times.inputBufferAdcTime))
        self.offsets.append(time.perf_counter() - times.currentTime)

    def offset(self) -> float:
        """perf_counter minus the stream's clock: the smallest seen in a callback (a callback
        that waited for the GIL reads perf_counter late, never early)."""
        return min(self.offsets) if self.offsets else 0.0

    def __enter__(self) -> Monitor:
        self.stream.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stream.close()

    def click_times(self) -> np.ndarray:
        """perf_counter time of every click heard, ascending."""
        if not self.blocks:
            return np.zeros(0)
        mono = np.concatenate([b for b, _ in self.blocks])
        starts = np.cumsum([0] + [len(b) for b, _ in self.blocks])[:-1]
        found = find_clicks(mono)
        owner = np.searchsorted(starts, found, side="right") - 1
        adc = np.array([self.blocks[k][1] for k in owner]) + (found - starts[owner]) / RATE
        return adc + self.offset()


@dataclass(frozen=True)
class Latency:
    """Per click shown (ms): total, heard -> handed out, handed out -> shown; and counts."""

    total: np.ndarray
    to_read: np.ndarray
    to_shown: np.ndarray
    reach: np.ndarray
    """The audio time the showing frame's features describe minus the click's (detector delay
    and the analyzer's whole-frame steps)."""
    heard: int
    shown: int
    at_switch: np.ndarray


def onset_frames(onsets: np.ndarray) -> np.ndarray:
    """Indices of frames whose onset pulse jumped."""
    rise = np.diff(onsets, prepend=0.0)
    return np.flatnonzero(rise > JUMP)


def measure(heard: np.ndarray, presented: np.ndarray, onsets: np.ndarray, feature_times: np.ndarray,
            in_switch: np.ndarray, reads: tuple[np.ndarray, np.ndarray], click_samples: np.ndarray) -> Latency:
    """Match each onset frame to the latest click heard before it was presented (the total)
    and to the latest click in the audio its features reached (the split).

    `reads`: (wall times of the reads, samples handed out by each); `click_samples`:
    each click's sample index in the file (the file plays from 0, once; the samples
    handed out are the file's, in order)."""
    read_times, read_ends = reads
    total, to_read, to_shown, reach, switch = [], [], [], [], []
    used = set()
    for frame in onset_frames(onsets):
        k = int(np.searchsorted(heard, presented[frame], side="right")) - 1
        if k < 0 or k in used or presented[frame] - heard[k] > MATCH_S:
            continue
        used.add(k)
        j = int(np.searchsorted(click_samples, feature_times[frame] * RATE, side="right")) - 1
        if j < 0:
            continue
        sample = click_samples[j]  # the click the frame's audio reached last (stream = file samples)
        first_read = min(int(np.searchsorted(read_ends, sample, side="right")), len(read_times) - 1)
        total.append(presented[frame] - heard[k])
        to_read.append(read_times[first_read] - heard[k])
        to_shown.append(presented[frame] - read_times[first_read])
        reach.append(feature_times[frame] - sample / RATE)
        switch.append(bool(in_switch[frame]))
    ms = [np.array(values) * 1000.0 for values in (total, to_read, to_shown, reach)]
    return Latency(*ms, heard=len(heard), shown=len(total), at_switch=np.array(switch, bool))

