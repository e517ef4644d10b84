"""Streaming onset detection: log-band spectral flux per band, peak-picked causally.

Pure numpy. Mono samples go in, in blocks of any length (one sample is fine);
every `hop` samples (about 5.8 ms) one frame of `frame_size` samples (about
23 ms, Hann) gives four onset-strength values: "all", "bass", "mid", "high".
A frame is a local maximum once the next frame is known, so an onset is
reported one hop after its peak; `OnsetEvent.detected_at` says when.

Stream time starts at 0 with the first sample fed; every time is in seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

GROUPS = ("all", "bass", "mid", "high")
"""Onset-strength columns, in order, of every (frames, 4) array here."""
GROUP_HZ = {"bass": (0.0, 200.0), "mid": (200.0, 4000.0), "high": (4000.0, 1e9)}
LOG_GAIN = 1000.0  # log1p(LOG_GAIN * amplitude): about a dB scale above -60 dBFS


def frame_size_for(sample_rate: float) -> int:
    """Power of two nearest 23 ms: 1024 at 44.1/48 kHz, 512 at 22.05, 4096 at 192 kHz."""
    return int(2 ** max(6, round(math.log2(max(sample_rate, 1.0) * 0.0232))))


class LogBands:
    """Groups FFT bins into bands 1/12 octave wide (30 Hz to 16 kHz) and bands into groups."""

    def __init__(self, sample_rate: float, frame_size: int, per_octave: int = 12) -> None:
        freqs = np.arange(frame_size // 2 + 1) * sample_rate / frame_size
        bins = np.nonzero((freqs >= 30.0) & (freqs <= min(16000.0, 0.45 * sample_rate)))[0]
        if len(bins) == 0:
            bins = np.array([frame_size // 4])
        index = np.floor(per_octave * np.log2(np.maximum(freqs[bins], 1.0) / 30.0))
        self.starts = bins[np.r_[True, index[1:] != index[:-1]]]
        self.stop = int(bins[-1]) + 1
        self.counts = np.diff(np.r_[self.starts, self.stop])
        self.count = len(self.starts)
        centres = (self.starts + (self.counts - 1) / 2.0) * sample_rate / frame_size
        self.weights = _group_weights(centres)

    def log_magnitudes(self, spectrum: np.ndarray) -> np.ndarray:
        """(frames, bins) complex spectrum -> (frames, bands) log mean magnitude."""
        magnitude = np.abs(spectrum[:, self.starts[0]: self.stop])
        sums = np.add.reduceat(magnitude, self.starts - self.starts[0], axis=1)
        return np.log1p(sums * (LOG_GAIN / self.counts))

    def group_means(self, values: np.ndarray) -> np.ndarray:
        """(frames, bands) -> (frames, 4): mean per group; "all" averages the groups."""
        return values @ self.weights


def _group_weights(centres: np.ndarray) -> np.ndarray:
    """(bands, 4) averaging weights; an empty group (low sample rates) stays zero."""
    weights = np.zeros((len(centres), 4))
    for col, (low, high) in enumerate(GROUP_HZ.values(), start=1):
        member = (centres >= low) & (centres < high)
        weights[member, col] = 1.0 / max(1, int(member.sum()))
    filled = [col for col in range(1, 4) if weights[:, col].any()]
    weights[:, 0] = weights[:, filled].sum(axis=1) / max(1, len(filled))
    return weights


@dataclass(frozen=True)
class OnsetEvent:
    """One onset: when it happened, when a causal detector could say so, how strong."""

    time: float  # seconds (stream time) of the onset itself
    detected_at: float  # stream time at which the detector reported it (>= time)
    strength: float  # normalised onset strength at the peak, 0..1-ish
    band: str  # "all" | "bass" | "mid" | "high"


@dataclass(frozen=True)
class OnsetConfig:
    """Peak picking, in normalised strength units (1 = the recent peak) and seconds."""

    delta: float = 0.06  # margin over the recent mean strength
    mean_window: float = 0.1  # length of that recent mean
    max_window: float = 0.03  # a peak must be the largest over this much before it
    min_gap: float = 0.04  # onsets of one band closer than this merge into the first
    peak_release: float = 6.0  # normalisation: the recent peak decays by 1/e in this time
    floor: float = 0.08  # raw flux below this never counts as an onset (silence, dither)


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
        self._bands = LogBands(self.sample_rate, self.frame_size)
        self._window = np.hanning(self.frame_size) * (2.0 / self.frame_size * 2.0)
        self._buffer = np.zeros(self.frame_size - self.hop)  # samples not yet framed, with overlap
        self._frames = 0  # frames analysed so far
        self._previous = np.zeros((2, self._bands.count))  # log spectra of the last two frames
        self._peaks = np.full(4, self.config.floor)
        self._raw_hist = np.zeros((self._history_len(), 4))
        self._norm_hist = np.zeros((self._history_len(), 4))
        self._last_onset = np.full(4, -1e9)  # frame index of each band's last onset
        self._drained: list[np.ndarray] = []
        self._strength = 0.0

    def _history_len(self) -> int:
        return max(2, math.ceil(self.config.mean_window / self.hop_seconds)) + 1

    @property
    def strength(self) -> float:
        """Latest "all" onset strength, normalised to the recent peak (about 0..1)."""
        return self._strength

    def frame_time(self, frame: int) -> float:
        """Stream time (s) at which frame `frame` is complete (its last sample's end)."""
        return (frame + 1) * self.hop_seconds

    def drain_strengths(self, bands: bool = False) -> np.ndarray:
        """Normalised strengths of every frame since the last call: (frames,) "all",
        or (frames, 4) in `GROUPS` order with `bands=True`."""
        out = np.concatenate(self._drained) if self._drained else np.zeros((0, 4))
        self._drained = []
        return out if bands else out[:, 0].copy()

    def process(self, mono: np.ndarray) -> list[OnsetEvent]:
        """Feed samples, shape (n,); return the onsets now detectable, oldest first."""
        samples = np.nan_to_num(np.asarray(mono, dtype=np.float64).reshape(-1),
                                nan=0.0, posinf=0.0, neginf=0.0)
        self._buffer = np.concatenate([self._buffer, np.clip(samples, -4.0, 4.0)])
        count = (len(self._buffer) - self.frame_size) // self.hop + 1
        if count <= 0:
            return []
        view = np.lib.stride_tricks.sliding_window_view(self._buffer, self.frame_size)
        frames = view[: count * self.hop: self.hop]
        raw = self._flux(frames)
        self._buffer = self._buffer[count * self.hop:]
        events = self._pick(raw)
        self._frames += count
        return events

    def _flux(self, frames: np.ndarray) -> np.ndarray:
        """Positive log-band flux per group, (frames, 4), against two frames back."""
        spectra = self._bands.log_magnitudes(np.fft.rfft(frames * self._window, axis=1))
        stacked = np.concatenate([self._previous, spectra])
        self._previous = stacked[-2:]
        reference = stacked[:-2]
        reference = np.maximum(reference, np.maximum(np.roll(reference, 1, axis=1),
                                                     np.roll(reference, -1, axis=1)))
        rise = np.maximum(stacked[2:] - reference, 0.0)
        return self._bands.group_means(rise)

    def _normalise(self, raw: np.ndarray) -> np.ndarray:
        """Divide by a decaying peak (per column), computed without a Python loop."""
        decay = math.exp(-self.hop_seconds / self.config.peak_release)
        out = np.empty_like(raw)
        for start in range(0, len(raw), 512):
            chunk = raw[start:start + 512]
            powers = decay ** np.arange(1, len(chunk) + 1)[:, None]
            running = np.maximum.accumulate(chunk / powers, axis=0) * powers
            peaks = np.maximum(np.maximum(running, self._peaks * powers), self.config.floor)
            out[start:start + len(chunk)] = chunk / peaks
            self._peaks = peaks[-1]
        return out

    def _pick(self, raw: np.ndarray) -> list[OnsetEvent]:
        """Onsets among the frames before the newest one, which confirms the peak."""
        norm = self._normalise(raw)
        self._drained.append(norm)
        self._strength = float(norm[-1, 0])
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
            events.append(OnsetEvent(self.frame_time(frame) - self.latency, self.frame_time(frame + 1),
                                     float(all_norm[row, col]), GROUPS[col]))
        events.sort(key=lambda e: (e.time, GROUPS.index(e.band)))
        return events

    def _max_frames(self) -> int:
        return max(1, round(self.config.max_window / self.hop_seconds))


def _peak_candidates(raw: np.ndarray, norm: np.ndarray, history: int, pre: int,
                     config: OnsetConfig) -> list[tuple[int, int]]:
    """(row, column) of local maxima above the adaptive threshold, in time order.

    Rows `history - 1` .. len - 2 are tested (the last row only confirms); each
    row needs `history - 1` rows before it for its running mean and maximum."""
    rows = np.arange(history - 1, len(norm) - 1)
    if len(rows) == 0:
        return []
    windows = np.lib.stride_tricks.sliding_window_view(norm, history - 1, axis=0)
    before = windows[rows - history + 1]  # (rows, 4, history - 1): the frames before each row
    value = norm[rows]
    is_peak = ((value > before[:, :, -pre:].max(axis=2)) & (value >= norm[rows + 1])
               & (value > before.mean(axis=2) + config.delta) & (raw[rows] > config.floor))
    hit_rows, hit_cols = np.nonzero(is_peak)
    return list(zip(rows[hit_rows].tolist(), hit_cols.tolist()))
