"""Causal beat tracking: tempo, phase and beats predicted ahead, from onset strength.

Pure numpy. A cumulative beat score (Ellis 2007, run forwards as in Stark's
BTrack) remembers where beats fell; half-way through each beat it is
projected into the future to predict the next beat, which then fires at that
predicted time, not after it. Tempo comes from `tempo.TempoEstimator`. Taps and
a manual BPM fix the tempo; `nudge` shifts the phase.

Times are stream seconds. Frame n of onset strength becomes available at
t0 + n * hop (t0 from the first update) and describes sound `latency` earlier.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from visualizer.features.frame import DEFAULT_BEATS_PER_BAR
from visualizer.features.tempo import (
    TempoConfig,
    TempoEstimator,
    extend_scores,
    gaussian,
    parabola_offset,
)


@dataclass(frozen=True)
class BeatState:
    """Where the music is in its beat and bar at one moment."""

    tempo_bpm: float
    confidence: float  # 0..1
    phase: float  # 0..1, 0 = on the beat
    beat_count: int  # beats so far (the first beat is 1)
    bar_phase: float  # 0..1 over `beats_per_bar` beats
    next_beat_time: float  # seconds
    beat_time: float  # seconds: the last beat (-inf before the first)
    pulse: float  # 1 on the beat, decaying by 1/e every `pulse_decay` seconds


@dataclass(frozen=True)
class BeatConfig:
    """Tracker tuning; times in seconds."""

    alpha: float = 0.9  # weight of the past in the cumulative score
    tightness: float = 5.0  # how strictly beats keep the period (log-Gaussian width 1/this)
    expectation: float = 0.25  # width of the expected-beat window, in periods
    history: float = 8.0  # onset strength kept for tempo estimation
    tempo_every: float = 0.5  # tempo re-estimated this often
    lock_confidence: float = 0.25  # confidence needed to start firing beats
    silence_timeout: float = 4.0  # unlock after this long without periodic sound
    gap: float = 1.5  # beats more than this after the last strong onset stay silent
    strong: float = 0.2  # onset strength that counts as sound for `gap`
    beats_per_bar: int = DEFAULT_BEATS_PER_BAR
    pulse_decay: float = 0.12
    tap_reset: float = 2.0  # a gap longer than this between taps starts a new tap series
    phase_memory: float = 16.0  # beats averaged (exponentially) to judge the phase
    phase_margin: float = 1.1  # another phase must beat the current one by this factor
    phase_min_beats: int = 3  # beats seen before the phase may move


PHASE_OFFSETS = (0.0, 0.25, 1 / 3, 0.5, 2 / 3, 0.75)
"""Candidate shifts of the beat phase, in periods (0 = keep)."""


class BeatTracker:
    """Causal: consumes onset strength per hop, predicts beats and fires them on time."""

    def __init__(self, hop_seconds: float, latency: float = 0.0, config: BeatConfig | None = None,
                 tempo_config: TempoConfig | None = None) -> None:
        self.hop_seconds = float(hop_seconds)
        self.latency = float(latency)
        self.config = config or BeatConfig()
        self.tempo = TempoEstimator(self.hop_seconds, tempo_config)
        self._keep = int(self.config.history / self.hop_seconds)
        self._odf = np.zeros(2 * self._keep)
        self._scores = np.zeros(2 * self._keep)
        self._used = 0  # valid entries in the two buffers
        self._frames = 0  # frames consumed in total
        self._t0: float | None = None
        self._bpm = self.tempo.config.prior_bpm
        self._manual: float | None = None
        self._confidence = 0.0
        self._locked = False
        self._quiet_since: float | None = None
        self._last_strong = -math.inf  # content time of the last strong onset frame
        self._next_tempo = 0
        self._last_beat = -math.inf
        self._next_beat: float | None = None
        self._predict_at: int | None = None
        self._count = 0
        self._taps: list[float] = []
        self._phase_evidence = np.zeros(len(PHASE_OFFSETS))
        self._phase_beats = 0

    # --- time bookkeeping -------------------------------------------------------------
    def _available(self, frame: int) -> float:
        """Stream time at which frame `frame` (total index) became available."""
        return (self._t0 or 0.0) + frame * self.hop_seconds

    def _first_frame_after(self, time: float) -> int:
        """Smallest frame index available at or after `time`."""
        return max(0, math.ceil((time - (self._t0 or 0.0)) / self.hop_seconds - 1e-9))

    @property
    def period(self) -> float:
        """Beat period in frames."""
        return 60.0 / (self._manual or self._bpm) / self.hop_seconds

    # --- the stream -----------------------------------------------------------------------
    def update(self, strengths: np.ndarray, now: float) -> list[float]:
        """Consume onset strength per hop (`OnsetDetector.drain_strengths()`: (n,), or
        (n, 5) with the "beat" column first); return the beat times fired during this
        update, each at its predicted time. `now` is the stream time at which the last
        value became available (`OnsetDetector.time`); the first non-empty update fixes
        the clock, later ones count frames."""
        values = _beat_signal(strengths)
        if len(values) == 0:
            return self._fire_due(now) if self._t0 is not None else []
        if self._t0 is None:
            self._t0 = now - (len(values) - 1) * self.hop_seconds
        fired: list[float] = []
        done = 0
        while done < len(values):
            fired += self._fire_due(self._available(self._frames))
            size = self._chunk_size(len(values) - done)
            self._append(values[done:done + size])
            done += size
            self._after_frames()
        return fired + self._fire_due(now)

    def _chunk_size(self, left: int) -> int:
        """Frames to take next: stop at a due beat, prediction or tempo update."""
        size = min(left, max(1, int(self.period / 2)))
        stops = [self._next_tempo]
        if self._predict_at is not None:
            stops.append(self._predict_at)
        if self._next_beat is not None:
            stops.append(self._first_frame_after(self._next_beat))
        for stop in stops:
            if stop > self._frames:
                size = min(size, stop - self._frames)
        return size

    def _append(self, values: np.ndarray) -> None:
        """Store onset strength (dropping the oldest beyond `history`) and its scores."""
        if self._used + len(values) > len(self._odf):
            drop = self._used + len(values) - self._keep
            for buf in (self._odf, self._scores):
                buf[: self._used - drop] = buf[drop: self._used]
            self._used -= drop
        start = self._used
        self._used += len(values)
        self._odf[start:self._used] = values
        loud = np.nonzero(values >= self.config.strong)[0]
        if len(loud):
            self._last_strong = self._available(self._frames + int(loud[-1])) - self.latency
        extend_scores(self._scores, self._odf, start, self._used, self.period,
                      self.config.alpha, self.config.tightness)
        self._frames += len(values)

    def _after_frames(self) -> None:
        """Run what falls due once the frames so far are in: tempo, then prediction."""
        if self._frames >= self._next_tempo:
            self._update_tempo()
            self._next_tempo = self._frames + int(self.config.tempo_every / self.hop_seconds)
        if self._locked and self._predict_at is not None and self._frames >= self._predict_at:
            self._predict()

    def _fire_due(self, time: float) -> list[float]:
        """The scheduled beat if its time has come by `time` (and sound is present)."""
        if self._next_beat is None or self._next_beat > time:
            return []
        beat = self._next_beat
        self._last_beat, self._next_beat = beat, None
        half = beat + self.period * self.hop_seconds / 2 + self.latency
        self._predict_at = self._first_frame_after(half)
        if self._manual is None and beat - self._last_strong > self.config.gap:
            return []  # silence: keep the phase running, fire nothing
        self._count += 1
        return [beat]

    # --- tempo, lock and prediction ---------------------------------------------------------
    def _update_tempo(self) -> None:
        """Re-estimate tempo and confidence; lock (start predicting) or unlock."""
        recent = self._odf[max(0, self._used - self._keep): self._used]
        now = self._available(self._frames - 1)
        long_enough = len(recent) * self.hop_seconds >= 1.5
        if self._manual is not None:
            self._confidence = 1.0
        elif long_enough and recent[-int(3.0 / self.hop_seconds):].max() > 0.15:
            self._bpm, _ = self.tempo.update(recent)
            self._confidence = min(1.0, self.tempo.periodicity / 0.4)
        else:  # too little sound to say anything
            self._confidence *= 0.5
        strong = self._confidence >= self.config.lock_confidence
        if strong:
            self._quiet_since = None
        elif self._quiet_since is None:
            self._quiet_since = now
        if strong and not self._locked:
            self._locked = True
            self._predict()
        elif (self._locked and self._manual is None and self._quiet_since is not None
              and now - self._quiet_since > self.config.silence_timeout):
            self._locked, self._next_beat, self._predict_at = False, None, None

    def _phase_check(self) -> None:
        """Keep a running average of onset strength at the beat and at fractions of a
        period after it (`PHASE_OFFSETS`); move the beat when another phase wins clearly."""
        period = self.period
        newest = self._available(self._frames - 1) - self.latency
        base = self._used - 1 - (newest - self._last_beat) / self.hop_seconds - period
        index = np.rint(base + np.array(PHASE_OFFSETS) * period).astype(int)
        if index.min() < 1 or index.max() > self._used - 2:
            return
        odf = self._odf
        sample = np.maximum(np.maximum(odf[index - 1], odf[index]), odf[index + 1])
        self._phase_beats += 1
        rate = max(1.0 / self._phase_beats, 1.0 / self.config.phase_memory)
        self._phase_evidence += rate * (sample - self._phase_evidence)
        evidence = self._phase_evidence
        best = int(np.argmax(evidence))
        if (self._phase_beats >= self.config.phase_min_beats and best
                and evidence[best] > self.config.phase_margin * evidence[0]):
            self._phase_beats, self._phase_evidence[:] = 0, 0.0
            self.nudge(PHASE_OFFSETS[best] * period * self.hop_seconds)

    def _predict(self) -> None:
        """Project the cumulative score one period ahead; schedule the best future frame."""
        self._predict_at = None
        if math.isfinite(self._last_beat):
            self._phase_check()
        period = self.period
        now = self._available(self._frames - 1)
        horizon = math.ceil(1.5 * period) + 1
        past = self._scores[max(0, self._used - int(2 * period) - 2): self._used]
        future = np.concatenate([past, np.zeros(horizon)])
        extend_scores(future, np.zeros(len(future)), len(past), len(future), period,
                      self.config.alpha, self.config.tightness)
        times = now - self.latency + np.arange(1, horizon + 1) * self.hop_seconds
        values = future[len(past):]
        expected = self._last_beat + period * self.hop_seconds
        if not math.isfinite(expected) or expected < now:
            peak = times[np.argmax(values)]
            expected = peak if values.max() > 0 else now + period * self.hop_seconds / 2
        width = self.config.expectation * period * self.hop_seconds
        weighted = (values + 1e-9) * gaussian(times - expected, width)
        weighted[times <= now] = 0.0
        best = int(np.argmax(weighted))
        self._next_beat = float(times[best] + parabola_offset(weighted, best) * self.hop_seconds)

    # --- state and controls -------------------------------------------------------------------
    def state(self, now: float) -> BeatState:
        """The beat state at stream time `now` (beats due by then count as fired)."""
        period_s = self.period * self.hop_seconds
        beat, count = self._last_beat, self._count
        upcoming = self._next_beat if self._next_beat is not None else beat + period_s
        if self._locked and upcoming <= now:  # due, not yet fired by `update`
            skipped = math.floor((now - upcoming) / period_s)
            beat, count = upcoming + skipped * period_s, count + skipped + 1
            upcoming = beat + period_s
        if not self._locked or not math.isfinite(beat):
            upcoming = upcoming if math.isfinite(upcoming) else now + period_s
        span = upcoming - beat
        phase = 0.0
        if math.isfinite(span) and span > 0:
            phase = min(max((now - beat) / span, 0.0), 0.999999)
        bar = self.config.beats_per_bar
        bar_phase = (((count - 1) % bar) + phase) / bar if count > 0 else 0.0
        since = now - beat
        pulse = math.exp(-since / self.config.pulse_decay) if 0.0 <= since < 60.0 else 0.0
        return BeatState(60.0 / period_s, self._confidence, phase, count, bar_phase,
                         float(upcoming), float(beat), pulse)

    def set_manual_bpm(self, bpm: float | None) -> None:
        """Fix the tempo (BPM) whatever the audio says; None goes back to automatic."""
        if bpm is None:
            if self._manual is not None:
                self.tempo.reset(self._manual)
                self._bpm = self._manual
            self._manual = None
            return
        self._manual = float(min(max(bpm, 20.0), 400.0))
        self._confidence = 1.0
        if not self._locked:
            self._locked = True
            self._predict()

    def tap(self, time: float) -> None:
        """Tap tempo: two or more taps set a manual BPM and put the next beat on the taps."""
        if self._taps and (time - self._taps[-1] > self.config.tap_reset or time <= self._taps[-1]):
            self._taps = []
        self._taps = (self._taps + [float(time)])[-8:]
        if len(self._taps) < 2:
            return
        index = np.arange(len(self._taps))
        period_s = float(np.polyfit(index, self._taps, 1)[0])
        self.set_manual_bpm(60.0 / period_s)
        self._last_beat = self._taps[-1]
        self._next_beat = self._taps[-1] + 60.0 / self._manual
        self._predict_at = None

    def align(self, time: float) -> None:
        """An external clock says a beat falls at `time` (s): the phase goes there. It counts
        as a new beat unless one was fired less than half a period before."""
        period_s = self.period * self.hop_seconds
        if not (math.isfinite(self._last_beat) and 0.0 <= time - self._last_beat < period_s / 2):
            self._count += 1
        self._locked = True
        self._last_beat = float(time)
        self._next_beat = float(time) + period_s
        self._predict_at = None

    def nudge(self, seconds: float) -> None:
        """Shift the beat phase later (positive) or earlier, remembered by the score."""
        if self._next_beat is not None:
            self._next_beat += seconds
        self._last_beat += seconds
        shift = round(seconds / self.hop_seconds)
        if shift and abs(shift) < self._used:
            scores = self._scores[: self._used]
            scores[:] = np.roll(scores, shift)
            scores[slice(0, shift) if shift > 0 else slice(len(scores) + shift, None)] = 0.0


def _beat_signal(strengths: np.ndarray) -> np.ndarray:
    """(n,) or (n, columns) onset strength, column 0 ("beat") used -> (n,) finite, >= 0."""
    values = np.asarray(strengths, dtype=np.float64)
    values = (values[:, 0] if values.ndim == 2 and values.shape[1] else values).reshape(-1)
    finite = np.isfinite(values)
    if not finite.all():
        values = np.where(finite, values, 0.0)
    return np.minimum(np.maximum(values, 0.0), 10.0)
