"""Tempo and beat-score primitives shared by the live tracker and the offline grid.

Pure numpy. Tempo from an onset-strength envelope: autocorrelation, a comb
filterbank, a log-normal prior and a forward HMM. Beat scores: the cumulative
score of Ellis 2007 in BTrack's causal form. An envelope is onset strength
sampled every `hop_seconds` (about 5.8 ms); tempo candidates are log-spaced
BPM values; a period is in envelope frames.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np


@dataclass(frozen=True)
class TempoConfig:
    """Candidate range and the prior over it, in BPM; `harmonics` comb teeth per candidate."""

    min_bpm: float = 60.0
    max_bpm: float = 200.0
    per_octave: int = 60
    prior_bpm: float = 120.0
    prior_octaves: float = 0.9  # standard deviation of the log2-normal prior
    harmonics: int = 8
    blur: float = 0.009  # s: std of the Gaussian smoothing the envelope before autocorrelation
    sharpness: float = 6.0  # observation = comb ** sharpness (live tracking)
    drift: float = 1.0  # tempo bins a live estimate may drift per update (std)
    jump: float = 0.02  # probability mass per update spread over all tempi


def gaussian(offset: np.ndarray, width: float) -> np.ndarray:
    """exp(-offset^2 / (2 width^2)), exactly 0 beyond 8 widths (no float underflow)."""
    z = np.asarray(offset, dtype=np.float64) / width
    return np.where(np.abs(z) < 8.0, np.exp(-0.5 * np.minimum(z * z, 64.0)), 0.0)


def tempo_grid(config: TempoConfig) -> np.ndarray:
    """Candidate tempi in BPM, log-spaced, shape (n,)."""
    octaves = math.log2(config.max_bpm / config.min_bpm)
    count = round(octaves * config.per_octave) + 1
    return config.min_bpm * 2.0 ** (np.arange(count) / config.per_octave)


def log_normal_prior(bpms: np.ndarray, config: TempoConfig) -> np.ndarray:
    """Prior weight per candidate, peak 1 at `prior_bpm`."""
    return np.exp(-0.5 * (np.log2(bpms / config.prior_bpm) / config.prior_octaves) ** 2)


def autocorrelation(envelope: np.ndarray, max_lag: int, blur: float = 0.0) -> np.ndarray:
    """Unbiased autocorrelation of the mean-removed envelope, r[0] = 1, lags 0..max_lag
    or fewer: lags longer than 70% of the envelope are too noisy and left out.

    `blur` (frames) is the std of a Gaussian the envelope is smoothed with first.
    Onset peaks are about one frame wide, so unsmoothed, two onsets correlate
    fully only when they fall at the same fraction of a frame: a lag of three 8th
    notes at 174 BPM (29.7 frames each) scores above one of two."""
    x = np.asarray(envelope, dtype=np.float64)
    x = np.maximum(x - _moving_mean(x, 16), 0.0)
    x = x - x.mean() if len(x) else x
    n = len(x)
    max_lag = max(1, min(max_lag, int(0.7 * n)))
    size = 1 << max(1, math.ceil(math.log2(max(2 * n, 2))))
    spectrum = np.fft.rfft(x, size)
    power = spectrum.real ** 2 + spectrum.imag ** 2
    if blur > 0:
        power *= np.exp(-(2 * np.pi * blur * np.fft.rfftfreq(size)) ** 2)
    acf = np.fft.irfft(power, size)[: max_lag + 1]
    overlap = np.maximum(n - np.arange(max_lag + 1), 1.0)
    acf = acf / overlap
    return acf / acf[0] if acf[0] > 1e-12 else np.zeros_like(acf)


def _moving_mean(x: np.ndarray, width: int) -> np.ndarray:
    """Centred moving average of `width` frames (edges use what exists)."""
    if len(x) == 0:
        return x
    sums = np.cumsum(np.r_[0.0, x])
    lo = np.clip(np.arange(len(x)) - width // 2, 0, len(x))
    hi = np.clip(np.arange(len(x)) + width // 2 + 1, 0, len(x))
    return (sums[hi] - sums[lo]) / np.maximum(hi - lo, 1)


def comb_scores(acf: np.ndarray, periods: np.ndarray, harmonics: int) -> np.ndarray:
    """Mean autocorrelation at the first `harmonics` multiples of each period (frames);
    tooth k takes the maximum within +-k frames, so small period errors do not add up."""
    lags = np.arange(len(acf))
    total = np.zeros(len(periods))
    count = np.zeros(len(periods))
    widened = acf.copy()
    for k in range(1, harmonics + 1):
        grown = widened.copy()  # widened by one more frame each side: max over +-k
        np.maximum(grown[1:], widened[:-1], out=grown[1:])
        np.maximum(grown[:-1], widened[1:], out=grown[:-1])
        widened = grown
        inside = k * periods <= len(acf) - 2
        total += np.where(inside, np.interp(k * periods, lags, widened), 0.0)
        count += inside
    return total / np.maximum(count, 1.0)


class TempoEstimator:
    """Tempo per call from the latest envelope window; tracks it causally (forward HMM)."""

    def __init__(self, hop_seconds: float, config: TempoConfig | None = None) -> None:
        self.config = config or TempoConfig()
        self.hop_seconds = float(hop_seconds)
        self.bpms = tempo_grid(self.config)
        self.periods = 60.0 / self.bpms / self.hop_seconds
        self.prior = log_normal_prior(self.bpms, self.config)
        self.max_lag = math.ceil(self.periods.max() * self.config.harmonics) + 2
        self._shift = round(math.log2(1.5) * self.config.per_octave)  # bins from P to 2P/3
        self.posterior = self.prior / self.prior.sum()
        self._transition = _drift_kernel(len(self.bpms), self.config.drift)
        self.periodicity = 0.0
        """Comb score (mean normalised autocorrelation, 0..1) of the best candidate last seen."""

    def observe(self, envelope: np.ndarray) -> np.ndarray:
        """Prior-weighted comb score per candidate (max 1), from one envelope window."""
        acf = autocorrelation(envelope, self.max_lag, self.config.blur / self.hop_seconds)
        comb = np.maximum(comb_scores(acf, self.periods, self.config.harmonics), 0.0)
        scores = comb * self._three_two_prior(comb)
        best = int(np.argmax(scores))
        self.periodicity = float(comb[best])
        top = scores[best]
        return scores / top if top > 1e-9 else np.zeros_like(scores)

    def _three_two_prior(self, comb: np.ndarray) -> np.ndarray:
        """The prior per candidate, lowered to that of either 3:2 relative (the candidate
        with a period 2/3 or 3/2 as long) whose comb beats its own.

        The prior chooses among metrical levels (x2, /2), which a comb cannot tell
        apart; 3:2 relatives are not levels of one meter (1.5 beats alternates on-
        and off-beat), and the comb can tell them apart: with every 8th played, a
        beat at 174 BPM and one at 116 comb almost alike, but 174's a little higher.
        So the prior must not overturn that: a candidate beaten by a 3:2 relative
        keeps at most the relative's prior, and so scores below it."""
        prior = self.prior.copy()
        for shift in (self._shift, -self._shift):
            rival = np.clip(np.arange(len(prior)) + shift, 0, len(prior) - 1)
            beaten = (rival == np.arange(len(prior)) + shift) & (comb[rival] > comb)
            prior = np.where(beaten, np.minimum(prior, self.prior[rival]), prior)
        return prior

    def update(self, envelope: np.ndarray) -> tuple[float, float]:
        """Fold one window into the tracked posterior; return (bpm, posterior peak share)."""
        obs = self.observe(envelope)
        spread = self._transition @ self.posterior
        spread = (1.0 - self.config.jump) * spread + self.config.jump / len(spread)
        post = spread * (np.maximum(obs, 1e-6) ** self.config.sharpness + 1e-6)
        self.posterior = post / post.sum()
        best = int(np.argmax(self.posterior))
        return self.refined_bpm(best), float(self.posterior[best])

    def refined_bpm(self, index: int) -> float:
        """BPM at a posterior peak, refined by a parabola through its neighbours."""
        if 0 < index < len(self.bpms) - 1:
            a, b, c = self.posterior[index - 1: index + 2]
            denom = a - 2 * b + c
            shift = 0.5 * (a - c) / denom if denom < -1e-12 else 0.0
            return float(self.config.min_bpm * 2.0 ** ((index + shift) / self.config.per_octave))
        return float(self.bpms[index])

    def reset(self, bpm: float | None = None) -> None:
        """Forget the history; centre the posterior on `bpm` when given."""
        if bpm is None:
            self.posterior = self.prior / self.prior.sum()
            return
        centre = np.log2(bpm / self.config.min_bpm) * self.config.per_octave
        post = gaussian(np.arange(len(self.bpms)) - centre, 1.0) + 1e-9
        self.posterior = post / post.sum()


def _drift_kernel(size: int, std: float) -> np.ndarray:
    """(size, size) column-stochastic Gaussian transition between tempo bins."""
    idx = np.arange(size)
    kernel = gaussian(idx[:, None] - idx[None, :], max(std, 1e-3))
    return kernel / kernel.sum(axis=0, keepdims=True)


@lru_cache(maxsize=64)
def beat_weights(period: float, tightness: float) -> tuple[np.ndarray, np.ndarray]:
    """Lags [period/2, 2 period] (frames, int, ascending) and their log-Gaussian weights."""
    lags = np.arange(max(1, round(period / 2)), max(2, round(2 * period)) + 1)
    return lags, np.exp(-0.5 * (tightness * np.log(lags / period)) ** 2)


def extend_scores(scores: np.ndarray, odf: np.ndarray, start: int, stop: int,
                  period: float, alpha: float, tightness: float) -> None:
    """Fill scores[start:stop] in place from odf[start:stop] and the scores before:
    score[n] = (1 - alpha) odf[n] + alpha max over lags d of weight(d) score[n - d]."""
    lags, weights = beat_weights(round(period, 2), tightness)
    shortest, longest = int(lags[0]), int(lags[-1])
    backwards = weights[::-1]  # window position j holds lag longest - j
    for lo in range(start, stop, shortest):
        hi = min(stop, lo + shortest)
        first = lo - longest
        if first >= 0:
            past = np.ndarray((hi - lo, len(lags)), np.float64, scores,
                              offset=first * scores.itemsize,
                              strides=(scores.itemsize, scores.itemsize))
        else:
            src = np.arange(lo, hi)[:, None] - lags[None, ::-1]
            past = np.where(src >= 0, scores[np.maximum(src, 0)], 0.0)
        best = (past * backwards).max(axis=1)
        new = (1.0 - alpha) * odf[lo:hi] + alpha * best
        scores[lo:hi] = np.where(new > 1e-30, new, 0.0)  # long silences: no float underflow


def parabola_offset(values: np.ndarray, index: int) -> float:
    """Sub-frame offset (-0.5..0.5) of a peak from a parabola through its neighbours."""
    if 0 < index < len(values) - 1:
        a, b, c = values[index - 1: index + 2]
        denom = a - 2.0 * b + c
        if denom < -1e-12:
            return float(min(max(0.5 * (a - c) / denom, -0.5), 0.5))
    return 0.0
