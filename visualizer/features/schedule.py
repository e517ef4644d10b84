"""The per-frame feature schedule of a whole track: frame n's features depend
only on n and the audio, never on where a render starts.

Every stateful part of the analysis (adaptive gains, smoothing, the spectrogram
history, a live beat tracker) is run from the first sample, in the same blocks,
whatever frame is wanted first; frames before the wanted range are computed
and handed out too, so the parameter engine can step through them. With
`beats="offline"` the whole-track rhythm pre-pass (beat grid, exact onsets)
runs first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

import numpy as np

from visualizer.features.analyzer import StreamingAnalyzer
from visualizer.features.frame import FrameFeatures
from visualizer.features.rhythm import GridRhythm
from visualizer.features.track import SampleSource, track_rhythm

BeatSource = Literal["offline", "live"]
BLOCK_FRAMES = 16
"""Video frames of audio per analysis block (the block size never changes the features)."""


def schedule_block(sample_rate: float, frame_rate: float) -> int:
    """Samples per block fed to the analyzer; the same for every render of a track."""
    return max(1024, round(sample_rate / frame_rate) * BLOCK_FRAMES)


def track_features(audio: SampleSource, frame_rate: float, stop_frame: int,
                   beats: BeatSource = "offline") -> Iterator[FrameFeatures]:
    """Features of frames 0 .. stop_frame - 1, in order, streamed.

    Past the end of the audio the analyzer hears silence, so exactly
    `stop_frame` frames come out. Frame n describes time n / frame_rate.
    """
    rate = audio.sample_rate
    rhythm = GridRhythm(track_rhythm(audio)) if beats == "offline" else None
    analyzer = StreamingAnalyzer(rate, frame_rate, rhythm=rhythm)
    block = schedule_block(rate, frame_rate)
    blocks = audio.blocks(0, size=block)
    produced = 0
    while produced < stop_frame:
        samples = next(blocks, None)
        for features in analyzer.feed(samples if samples is not None else np.zeros(block, np.float32)):
            if produced < stop_frame:
                yield features
            produced += 1
