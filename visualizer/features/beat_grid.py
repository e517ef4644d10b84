"""Offline beat grid: the whole track at once, look-ahead allowed (Ellis 2007).

Pure numpy. The track streams once through the same `OnsetDetector` as the
live path (`onset.detect_onsets`), keeping only the onset-strength envelope
(about 172 values a second) and the onsets. Then: local tempo per window
(comb filter with a prior, smoothed by Viterbi), dynamic-programming beat
tracking with that tempo, sub-frame refinement, downbeats by bass weight.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from visualizer.features.frame import DEFAULT_BEATS_PER_BAR
from visualizer.features.onset import TrackOnsets, detect_onsets
from visualizer.features.tempo import TempoConfig, TempoEstimator, parabola_offset


@dataclass(frozen=True)
class BeatGrid:
    """Beats, onsets and downbeats of a whole track, seconds (float64, ascending, >= 0);
    a bar is `beats_per_bar` beats from one downbeat to the next."""

    tempo_bpm: float
    beats: np.ndarray
    onsets: np.ndarray
    downbeats: np.ndarray
    beats_per_bar: int = DEFAULT_BEATS_PER_BAR


@dataclass(frozen=True)
class GridConfig:
    window: float = 12.0  # seconds per local tempo estimate
    step: float = 4.0  # seconds between local tempo estimates
    tightness: float = 100.0  # Ellis' alpha: penalty weight of a period change
    beats_per_bar: int = DEFAULT_BEATS_PER_BAR  # the meter: beats from one downbeat to the next


def analyse_track(blocks: Iterable[np.ndarray], sample_rate: float,
                  config: GridConfig | None = None) -> BeatGrid:
    """Beat grid of mono float32 blocks (any lengths) at `sample_rate` Hz."""
    return grid_from_onsets(detect_onsets(blocks, sample_rate), config)


def grid_from_onsets(onsets: TrackOnsets, config: GridConfig | None = None,
                     beat_change: Callable[[np.ndarray], np.ndarray] | None = None) -> BeatGrid:
    """Beat grid from a whole track's onset detection (`onset.detect_onsets`).
    `beat_change(beats)` (s) -> (beats,) how much the timbre changes into each beat
    (chords change on downbeats) helps place the downbeats."""
    config = config or GridConfig()
    per_bar = config.beats_per_bar
    onset_times = np.array([e.time for e in onsets.events if e.band == "all"], dtype=np.float64)
    hop = onsets.hop
    beat_signal = onsets.beat.astype(np.float64)
    if len(beat_signal) * hop < 2.0 or beat_signal.max(initial=0.0) <= 0.15:
        return BeatGrid(120.0, np.zeros(0), onset_times, np.zeros(0), per_bar)
    periods = local_periods(beat_signal, hop, config)
    frames = dp_beats(beat_signal, periods, config.tightness)
    frames = _trim(frames, beat_signal, periods)
    offsets = np.array([parabola_offset(beat_signal, int(f)) for f in frames])
    beats = np.maximum((frames + offsets + 1) * hop - onsets.latency, 0.0)  # a beat on the first sample: 0
    period = float(np.median(np.diff(beats))) if len(beats) > 2 else float(np.median(periods)) * hop
    change = beat_change(beats) if beat_change is not None and len(beats) >= per_bar else None
    downbeats = _downbeats(beats, frames, onsets.bass, per_bar, change)
    return BeatGrid(60.0 / period, beats, onset_times, downbeats, per_bar)


def local_periods(envelope: np.ndarray, hop: float, config: GridConfig) -> np.ndarray:
    """Beat period in frames for every frame, (frames,): comb-filter tempo per window,
    smoothed by a Viterbi path that rarely changes tempo."""
    estimator = TempoEstimator(hop, TempoConfig())
    size, step = int(config.window / hop), int(config.step / hop)
    starts = list(range(0, max(1, len(envelope) - size + 1), step))
    obs = np.array([estimator.observe(envelope[s: s + size]) for s in starts])
    path = _viterbi(np.log(obs + 1e-3), estimator.config.per_octave)
    centres = np.array(starts) + min(size, len(envelope)) / 2
    return np.interp(np.arange(len(envelope)), centres, estimator.periods[path])


def _viterbi(log_obs: np.ndarray, per_octave: int) -> np.ndarray:
    """Best tempo-bin path, (windows,), through (windows, bins) log observations;
    a change of b bins costs (b / (per_octave / 24)) ** 2 / 2, so drifts are cheap."""
    bins = log_obs.shape[1]
    idx = np.arange(bins)
    cost = 0.5 * ((idx[:, None] - idx[None, :]) / max(1.0, per_octave / 24)) ** 2
    score = log_obs[0].copy()
    back = np.zeros(log_obs.shape, dtype=np.int64)
    for w in range(1, len(log_obs)):
        total = score[None, :] - cost  # (to, from)
        back[w] = np.argmax(total, axis=1)
        score = total[idx, back[w]] + log_obs[w]
    path = np.zeros(len(log_obs), dtype=np.int64)
    path[-1] = int(np.argmax(score))
    for w in range(len(log_obs) - 1, 0, -1):
        path[w - 1] = back[w, path[w]]
    return path


def dp_beats(envelope: np.ndarray, periods: np.ndarray, tightness: float) -> np.ndarray:
    """Ellis' dynamic programme: frame indices (int, ascending) of the best beat sequence.

    score[t] = onset[t] + max over lags d in [P/2, 2P] of score[t-d] - tightness *
    log(d/P)^2, computed in chunks of P/2 frames, within which no frame depends on
    another."""
    onset = envelope / (envelope.std() + 1e-9)
    n = len(onset)
    score = onset.copy()
    back = np.full(n, -1, dtype=np.int64)
    start = 1
    while start < n:
        period = float(periods[start])
        lags = np.arange(max(1, round(period / 2)), round(2 * period) + 1)
        penalty = -tightness * np.log(lags / period) ** 2
        stop = min(n, start + int(lags[0]))
        src = np.arange(start, stop)[:, None] - lags[None, :]
        cand = np.where(src >= 0, score[np.maximum(src, 0)] + penalty, -np.inf)
        best = np.argmax(cand, axis=1)
        gain = cand[np.arange(len(best)), best]
        take = gain > 0
        score[start:stop] += np.where(take, gain, 0.0)
        back[start:stop] = np.where(take, src[np.arange(len(best)), best], -1)
        start = stop
    return _backtrace(score, back, periods)


def _backtrace(score: np.ndarray, back: np.ndarray, periods: np.ndarray) -> np.ndarray:
    """Follow back-pointers from the best-scoring frame in the last period."""
    tail = max(1, round(periods[-1]))
    end = len(score) - tail + int(np.argmax(score[-tail:]))
    beats = [end]
    while back[beats[-1]] >= 0:
        beats.append(int(back[beats[-1]]))
    return np.array(beats[::-1], dtype=np.int64)


def _trim(frames: np.ndarray, envelope: np.ndarray, periods: np.ndarray) -> np.ndarray:
    """Drop beats in leading and trailing silence: keep those within half a period of
    the first and last frame whose envelope exceeds 10% of its 99th percentile."""
    loud = np.nonzero(envelope > 0.1 * np.percentile(envelope, 99))[0]
    if len(loud) == 0:
        return frames[:0]
    margin = periods[frames] / 2
    return frames[(frames >= loud[0] - margin) & (frames <= loud[-1] + margin)]


def _downbeats(beats: np.ndarray, frames: np.ndarray, bass: np.ndarray, per_bar: int,
               change: np.ndarray | None = None) -> np.ndarray:
    """Every `per_bar`-th beat, starting at the bar position where the bass onsets are
    strongest on average, plus (with `change`, (beats,)) where the timbre changes most;
    each cue is divided by its mean over the positions, so neither's scale dominates."""
    if len(beats) < per_bar:
        return beats[:1].copy()
    near = np.maximum.reduce([bass[np.clip(frames + k, 0, len(bass) - 1)] for k in (-1, 0, 1)])
    score = _by_position(near, per_bar)
    if change is not None:
        score = score + _by_position(change, per_bar)
    return beats[int(np.argmax(score))::per_bar].copy()


def _by_position(values: np.ndarray, per_bar: int) -> np.ndarray:
    """(per_bar,) mean of `values` (one per beat) at each bar position, over their mean."""
    means = np.array([values[i::per_bar].mean() for i in range(per_bar)])
    return means / max(float(means.mean()), 1e-12)
