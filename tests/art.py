"""The art checks of issue 16, as pure numpy on rendered frames and audio.

Frames are (height, width, 3) arrays of 8-bit levels (any integer or float
dtype). Times are seconds; `fps` is frames per second. The per-preset test
(tests/test_preset_art.py) applies them to every shipped preset, and
tests/test_art_checks.py shows each one failing on a picture made to fail.
"""

from __future__ import annotations

import numpy as np

VOID_LEVELS = 10
"""4% of 255: "pure" black is at most this in every channel, pure white at least 255 minus it."""
SATURATED = 0.5
"""HSV saturation (and value) a pixel needs to count towards the hue coverage."""
HUE_BINS = 36
"""10-degree bins; a bin counts as covered when it holds at least `HUE_BIN_SHARE` of the saturated pixels."""
HUE_BIN_SHARE = 0.002
FLUX_WINDOW_S, FLUX_HOP_S = 0.046, 0.0058
"""Seconds per spectrum and between spectra for the onset envelope (2048 and 256 samples at 44.1 kHz)."""


def void_share(image: np.ndarray) -> float:
    """Share of pixels within 4% of pure black or pure white in every channel."""
    black = (image <= VOID_LEVELS).all(axis=2)
    white = (image >= 255 - VOID_LEVELS).all(axis=2)
    return float((black | white).mean())


def frame_changes(frames: list[np.ndarray]) -> np.ndarray:
    """Mean absolute change from each frame to the next, in 8-bit levels: shape (len(frames) - 1,).
    Entry k is the change into frame k + 1."""
    stack = np.asarray(frames, dtype=np.float32)
    return np.abs(np.diff(stack, axis=0)).mean(axis=(1, 2, 3))


def is_flat(image: np.ndarray) -> bool:
    """Blank, NaN-made or featureless: one level (almost) everywhere."""
    return float(np.asarray(image, np.float32).std()) <= 4.0


def hue_coverage_degrees(image: np.ndarray) -> float:
    """Degrees of the hue circle covered by the saturated, lit pixels (10-degree bins that
    each hold at least `HUE_BIN_SHARE` of them); 0 when none is saturated."""
    rgb = np.asarray(image, np.float32).reshape(-1, 3) / 255.0
    high, low = rgb.max(axis=1), rgb.min(axis=1)
    chroma = high - low
    keep = (high >= SATURATED) & (chroma >= SATURATED * high)
    if not keep.any():
        return 0.0
    hue = _hue(rgb[keep], high[keep], chroma[keep])
    counts = np.bincount((hue * HUE_BINS).astype(int) % HUE_BINS, minlength=HUE_BINS)
    return float((counts >= HUE_BIN_SHARE * keep.sum()).sum() * 360.0 / HUE_BINS)


def _hue(rgb: np.ndarray, high: np.ndarray, chroma: np.ndarray) -> np.ndarray:
    """HSV hue in [0, 1) of pixels with chroma > 0."""
    r, g, b = rgb.T
    hue = np.where(high == r, ((g - b) / chroma) % 6.0,
                   np.where(high == g, (b - r) / chroma + 2.0, (r - g) / chroma + 4.0))
    return (hue / 6.0) % 1.0


def onset_envelope(samples: np.ndarray, sample_rate: int, start: float, fps: float, count: int) -> np.ndarray:
    """Spectral-flux onset strength in each video frame's interval: shape (count - 1,), entry k
    for the audio between frame k and frame k + 1 (times start + k / fps), aligned with
    `frame_changes`. `samples` is mono, the whole track from time 0."""
    mono = np.asarray(samples, np.float32)
    size, hop = round(FLUX_WINDOW_S * sample_rate), max(1, round(FLUX_HOP_S * sample_rate))
    window = np.hanning(size).astype(np.float32)
    first = max(0, int((start - 1.0 / fps) * sample_rate) - size)
    last = min(len(mono), int((start + count / fps) * sample_rate) + size)
    starts = np.arange(first, max(first + 1, last - size), hop)
    spectra = np.abs(np.fft.rfft(np.stack([mono[s:s + size] * window for s in starts]), axis=1))
    flux = np.maximum(np.diff(np.log1p(100.0 * spectra), axis=0), 0.0).sum(axis=1)
    centres = (starts[1:] + size / 2) / sample_rate  # an onset's flux peaks as it nears the centre
    envelope = np.zeros(count - 1)
    for k in range(count - 1):
        inside = (centres > start + k / fps) & (centres <= start + (k + 1) / fps)
        envelope[k] = flux[inside].max() if inside.any() else 0.0
    return envelope


def correlation_by_lag(change: np.ndarray, onset: np.ndarray, lags: range) -> dict[int, float]:
    """Pearson r between `change` shifted by each lag (picture `lag` frames after the audio) and
    `onset`; 0 where either side is constant."""
    result = {}
    for lag in lags:
        a = change[max(0, lag):len(change) + min(0, lag)]
        b = onset[max(0, -lag):len(onset) - max(0, lag)]
        size = min(len(a), len(b))
        a, b = a[:size], b[:size]
        result[lag] = 0.0 if a.std() == 0 or b.std() == 0 else float(np.corrcoef(a, b)[0, 1])
    return result


def rms(samples: np.ndarray, sample_rate: int, start: float, seconds: float) -> float:
    """Root mean square of mono `samples` (the whole track from time 0) over [start, start + seconds)."""
    part = samples[int(start * sample_rate):int((start + seconds) * sample_rate)]
    return float(np.sqrt(np.mean(np.square(part, dtype=np.float64)))) if len(part) else 0.0


def flicker_levels(frames: list[np.ndarray], block: int = 8) -> float:
    """How much a `block`-pixel square blinks: its brightness stepping one way and straight
    back on consecutive frames (the smaller of the two steps), averaged over the frames, for
    the worst block, in 8-bit levels. A strobe scores its full swing; motion (a ramp, an edge
    or an object passing once) and slow breathing score near 0; grain averages out in a block."""
    stack = np.asarray(frames, np.float32).mean(axis=3)
    count, height, width = stack.shape
    rows, cols = height // block, width // block
    blocks = stack[:, :rows * block, :cols * block].reshape(count, rows, block, cols, block).mean(axis=(2, 4))
    steps = np.diff(blocks, axis=0)
    turned = np.sign(steps[1:]) != np.sign(steps[:-1])
    swing = np.where(turned, np.minimum(np.abs(steps[1:]), np.abs(steps[:-1])), 0.0)
    return float(swing.mean(axis=0).max()) if swing.size else 0.0
