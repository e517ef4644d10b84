"""Streaming onset detection: log-band spectral flux per band, peak-picked causally.

Pure numpy. Mono samples go in, in blocks of any length (one sample is fine);
every `hop` samples (about 5.8 ms) one frame of `frame_size` samples (about
23 ms, Hann) gives onset strengths (`STRENGTH_COLUMNS`): "beat" for the beat
tracker, and "all", "bass", "mid", "high", which are peak-picked into events.
Flux compares each band with the max of it and its neighbours over the 4
frames before (SuperFlux-like), so slow low notes do not ripple. A frame is a
local maximum once the next frame is known, so an onset is
reported one hop after its peak; `OnsetEvent.detected_at` says when.

Stream time starts at 0 with the first sample fed; every time is in seconds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from visualizer.audio.samples import mix_to_mono
from visualizer.features.bands import LogBands

GROUPS = ("all", "bass", "mid", "high")
"""Onset-strength columns, in order, of every (frames, 4) array here; "all" is the
largest of the three bands (`bands.BANDS_HZ`), each normalised to its own recent peak."""
STRENGTH_COLUMNS = ("beat", *GROUPS)
"""Columns of `drain_strengths(bands=True)`. "beat" (the beat tracker's input) averages
the whole-spectrum flux and the mean of the normalised bands."""
LOG_GAIN = 1000.0  # log1p(LOG_GAIN * amplitude): about a dB scale above -60 dBFS


def frame_size_for(sample_rate: float) -> int:
    """Power of two nearest 23 ms: 1024 at 44.1/48 kHz, 512 at 22.05, 4096 at 192 kHz."""
    return int(2 ** max(6, round(math.log2(max(sample_rate, 1.0) * 0.0232))))


def group_weights(bands: LogBands) -> np.ndarray:
    """(bands, 4) averaging weights onto `GROUPS`: each of bass / mid / high (`BANDS_HZ`)
    the mean of its bands, "all" the mean of those groups; an empty group (low sample
    rates) stays zero."""
    member = bands.membership()
    weights = np.zeros((bands.count, 4))
    weights[:, 1:] = member / np.maximum(1.0, member.sum(axis=0))
    filled = [col for col in range(1, 4) if weights[:, col].any()]
    weights[:, 0] = weights[:, filled].sum(axis=1) / max(1, len(filled))
    return weights


@dataclass(frozen=True)
class OnsetEvent:
    """One onset: when it happened, when a causal detector could say so, how strong."""

    time: float  # seconds (stream time) of the onset itself, >= 0 (one at the very start is at 0)
    detected_at: float  # stream time at which the detector reported it (>= time)
    strength: float  # normalised onset strength at the peak, 0..1-ish
    band: str  # "all" | "bass" | "mid" | "high"


@dataclass(frozen=True)
class OnsetConfig:
    """Peak picking, in normalised strength units (1 = the recent peak) and seconds."""

    delta: float = 0.12  # margin over the recent mean strength
    mean_window: float = 0.1  # length of that recent mean
    max_window: float = 0.03  # a peak must be the largest over this much before it
    min_gap: float = 0.04  # onsets of one band closer than this merge into the first
    peak_release: float = 6.0  # normalisation: the recent peak decays by 1/e in this time
    lag: int = 4  # frames: the flux compares each frame with the max of this many before
    floor: float = 0.08  # raw flux below this never counts as an onset (silence, dither)
    norm_floor: float = 0.3  # raw flux that normalises to 1 when nothing louder came recently


class OnsetDetector:
    """Streaming onset detection on mono float32 at a fine hop (about 5.8 ms)."""

    def __init__(self, sample_rate: float, config: OnsetConfig | None = None) -> None:
        self.sample_rate = float(sample_rate)
        self.config = config or OnsetConfig()
        self.frame_size = frame_size_for(self.sample_rate)
        self.hop = self.frame_size // 4
        self.hop_seconds = self.hop / self.sample_rate
        self.latency = 0.375 * self.frame_size / self.sample_rate
        """Seconds from an onset to the end of the frame where its flux peaks."""
        self.bands = LogBands(self.sample_rate, self.frame_size, per_octave=12)
        """1/12-octave bands of each frame, grouped into bass / mid / high by `BANDS_HZ`."""
        self._groups = group_weights(self.bands)
        self._band_gain = LOG_GAIN / self.bands.counts
        self._window = np.hanning(self.frame_size) * (2.0 / self.frame_size * 2.0)
        self._buffer = np.zeros(self.frame_size - self.hop)  # samples not yet framed, with overlap
        self._frames = 0  # frames analysed so far
        self._previous = np.zeros((self.config.lag, self.bands.count))  # latest log spectra
        self._peaks = np.full(4, self.config.norm_floor)
        self._raw_hist = np.zeros((self._history_len(), 4))
        self._norm_hist = np.zeros((self._history_len(), 4))
        self._last_onset = np.full(4, -1e9)  # frame index of each band's last onset
        self._drained: list[np.ndarray] = []
        self._power_cache: dict[int, np.ndarray] = {}
        self._strength = 0.0
        self.spectrum_sink: Callable[[np.ndarray], None] | None = None
        """Called with each batch of frames' (frames, frame_size // 2 + 1) magnitudes, in
        order (a full-scale sine peaks near 1): the structure curves tap them."""

    def _history_len(self) -> int:
        return max(2, math.ceil(self.config.mean_window / self.hop_seconds)) + 1

    @property
    def strength(self) -> float:
        """Latest "beat" onset strength (see `STRENGTH_COLUMNS`), about 0..1."""
        return self._strength

    @property
    def time(self) -> float:
        """Stream time (s) up to which onset strength has been computed."""
        return self._frames * self.hop_seconds

    def frame_time(self, frame: int) -> float:
        """Stream time (s) at which frame `frame` is complete (its last sample's end)."""
        return (frame + 1) * self.hop_seconds

    def drain_strengths(self, bands: bool = False) -> np.ndarray:
        """Normalised strengths of every frame since the last call: (frames,) "beat",
        or (frames, 5) in `STRENGTH_COLUMNS` order with `bands=True`."""
        out = np.concatenate(self._drained) if self._drained else np.zeros((0, 5))
        self._drained = []
        return out if bands else out[:, 0].copy()

    def process(self, mono: np.ndarray) -> list[OnsetEvent]:
        """Feed samples, shape (n,) (or (n, channels), mixed down by `mix_to_mono`);
        return the onsets now detectable, oldest first."""
        buffer = np.concatenate((self._buffer, mix_to_mono(mono)), dtype=np.float64)
        self._buffer = buffer
        count = (len(buffer) - self.frame_size) // self.hop + 1
        if count <= 0:
            return []
        frames = np.ndarray((count, self.frame_size), np.float64, buffer,
                            strides=(self.hop * buffer.itemsize, buffer.itemsize))
        raw = self._flux(frames)
        self._buffer = buffer[count * self.hop:]
        events = self._pick(raw)
        self._frames += count
        return events

    def _flux(self, frames: np.ndarray) -> np.ndarray:
        """Positive log-band flux per group, (frames, 4): each band against the largest
        value of itself and its two neighbours over the `lag` frames before."""
        magnitude = np.abs(np.fft.rfft(frames * self._window, axis=1))
        if self.spectrum_sink is not None:
            self.spectrum_sink(magnitude)
        spectra = np.log1p(self.bands.sums(magnitude) * self._band_gain)  # log mean magnitude
        lag, count = len(self._previous), len(spectra)
        stacked = np.concatenate([self._previous, spectra])
        self._previous = stacked[-lag:]
        reference = stacked[lag - 1: lag - 1 + count].copy()
        for back in range(2, lag + 1):
            np.maximum(reference, stacked[lag - back: lag - back + count], out=reference)
        middle = reference[:, 1:-1]
        np.maximum(middle, np.maximum(reference[:, :-2], reference[:, 2:]), out=middle)
        return np.maximum(spectra - reference, 0.0) @ self._groups

    def _normalise(self, raw: np.ndarray) -> np.ndarray:
        """Divide by a decaying peak (per column), computed without a Python loop."""
        out = np.empty_like(raw)
        for start in range(0, len(raw), 512):
            chunk = raw[start:start + 512]
            powers = self._powers(len(chunk))
            running = np.maximum.accumulate(chunk / powers, axis=0) * powers
            peaks = np.maximum(np.maximum(running, self._peaks * powers), self.config.norm_floor)
            out[start:start + len(chunk)] = chunk / peaks
            self._peaks = peaks[-1]
        return out

    def _powers(self, count: int) -> np.ndarray:
        """(count, 1) decay ** (1..count) of the peak follower, cached per count."""
        cached = self._power_cache.get(count)
        if cached is None:
            decay = math.exp(-self.hop_seconds / self.config.peak_release)
            cached = self._power_cache[count] = decay ** np.arange(1, count + 1)[:, None]
        return cached

    def _pick(self, raw: np.ndarray) -> list[OnsetEvent]:
        """Onsets among the frames before the newest one, which confirms the peak."""
        norm = self._normalise(raw)
        beat = 0.5 * (norm[:, 0] + norm[:, 1:].mean(axis=1))
        norm[:, 0] = norm[:, 1:].max(axis=1)  # "all": an onset in any band, each to its own peak
        raw[:, 0] = raw[:, 1:].max(axis=1)
        self._drained.append(np.concatenate([beat[:, None], norm], axis=1))
        self._strength = float(beat[-1])
        keep = len(self._norm_hist)
        all_raw = np.concatenate([self._raw_hist, raw])
        all_norm = np.concatenate([self._norm_hist, norm])
        self._raw_hist, self._norm_hist = all_raw[-keep:], all_norm[-keep:]
        candidates = _peak_candidates(all_raw, all_norm, keep, self._max_frames(), self.config)
        first = self._frames - keep  # frame index of all_norm[0]
        events = []
        for row, col in candidates:
            frame = first + row
            if frame - self._last_onset[col] < self.config.min_gap / self.hop_seconds:
                continue
            self._last_onset[col] = frame
            events.append(OnsetEvent(max(0.0, self.frame_time(frame) - self.latency),
                                     self.frame_time(frame + 1),
                                     float(all_norm[row, col]), GROUPS[col]))
        events.sort(key=lambda e: (e.time, GROUPS.index(e.band)))
        return events

    def _max_frames(self) -> int:
        return max(1, round(self.config.max_window / self.hop_seconds))



@dataclass(frozen=True)
class TrackOnsets:
    """One detector's pass over a whole track: every onset, and the onset strength
    per hop (`hop` seconds) that the beat grid needs, float32 (frames,)."""

    events: tuple[OnsetEvent, ...]
    beat: np.ndarray  # the "beat" column: the beat tracker's input
    bass: np.ndarray  # the "bass" column: where downbeats fall
    hop: float
    latency: float  # `OnsetDetector.latency`, seconds


def detect_onsets(blocks: Iterable[np.ndarray], sample_rate: float,
                  detector: OnsetDetector | None = None) -> TrackOnsets:
    """Run one `OnsetDetector` (a fresh one, or `detector`: its spectrum sink sees
    the whole track) over mono blocks (any lengths) of a whole track, keeping 8
    bytes per hop (11 MB for 3 hours) and the events."""
    detector = detector or OnsetDetector(sample_rate)
    events: list[OnsetEvent] = []
    columns: list[np.ndarray] = []
    for block in blocks:
        events += detector.process(block)
        columns.append(detector.drain_strengths(bands=True)[:, [0, 2]].astype(np.float32))
    kept = np.concatenate(columns) if columns else np.zeros((0, 2), np.float32)
    return TrackOnsets(tuple(events), kept[:, 0].copy(), kept[:, 1].copy(),
                       detector.hop_seconds, detector.latency)

def _peak_candidates(raw: np.ndarray, norm: np.ndarray, history: int, pre: int,
                     config: OnsetConfig) -> list[tuple[int, int]]:
    """(row, column) of local maxima above the adaptive threshold, in time order.

    Rows `history - 1` .. len - 2 are tested (the last row only confirms); a peak
    must exceed the mean of the `history - 1` rows before it by `delta`."""
    span = history - 1
    count = len(norm) - 1 - span
    if count <= 0:
        return []
    value = norm[span: span + count]
    earlier = norm[span - 1: span - 1 + count].copy()
    for back in range(2, pre + 1):
        np.maximum(earlier, norm[span - back: span - back + count], out=earlier)
    local = ((value > earlier) & (value >= norm[span + 1: span + 1 + count])
             & (value > config.delta) & (raw[span: span + count] > config.floor))
    rows, cols = np.nonzero(local)
    return [(int(r) + span, int(c)) for r, c in zip(rows, cols)
            if value[r, c] > norm[r: r + span, c].mean() + config.delta]
