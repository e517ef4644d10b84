"""Sample helpers shared by every consumer of audio: the one mono mixdown."""

from __future__ import annotations

import numpy as np

CLIP = 4.0
"""Samples are clipped to +-CLIP (+12 dBFS): a broken driver or file cannot blow up the analysis."""


def mix_to_mono(block: np.ndarray) -> np.ndarray:
    """(n,) or (n, channels) -> (n,) float32, the mean of the channels.

    Non-finite samples (NaN, +-Inf) become 0, the rest clip to +-`CLIP`;
    a block with no channels is n zeros.
    """
    samples = np.asarray(block, dtype=np.float32)
    if samples.ndim == 2:
        channels = samples.shape[1]
        if not channels:
            return np.zeros(len(samples), np.float32)
        samples = samples.sum(axis=1) * np.float32(1.0 / channels)
    samples = samples.reshape(-1)
    if not np.isfinite(samples).all():
        samples = np.nan_to_num(samples, nan=0.0, posinf=0.0, neginf=0.0)
    return np.clip(samples, -CLIP, CLIP)
