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


class FeatureSchedule:
    """The analyzer run over a track in fixed blocks from sample 0, resumable.

    Between blocks its whole state is `state()`: the samples fed, and the
    analyzer's working state (buffers, smoothers, a live rhythm; never the
    whole-track rhythm, which `restore` re-attaches from this schedule's own).
    A schedule restored from another's state hands out the same next frames.
    """

    def __init__(self, audio: SampleSource, frame_rate: float, beats: BeatSource = "offline"):
        self.audio = audio
        self.block = schedule_block(audio.sample_rate, frame_rate)
        rhythm = GridRhythm(track_rhythm(audio)) if beats == "offline" else None
        self.analyzer = StreamingAnalyzer(audio.sample_rate, frame_rate, rhythm=rhythm)
        self._grid = rhythm
        self.samples_fed = 0
        self._blocks: Iterator[np.ndarray] | None = None

    @property
    def frames_produced(self) -> int:
        """Frames handed out so far (frame numbers start at 0)."""
        return self.analyzer.frames_emitted

    def blocks_until(self, stop_frame: int) -> Iterator[list[FrameFeatures]]:
        """The frames of each next block, in order, up to frame stop_frame - 1
        (the last list cut there). Past the audio's end the analyzer hears silence."""
        if self._blocks is None:
            self._blocks = self.audio.blocks(self.samples_fed, size=self.block)
        while self.frames_produced < stop_frame:
            samples = next(self._blocks, None)
            samples = samples if samples is not None else np.zeros(self.block, np.float32)
            first = self.frames_produced
            frames = self.analyzer.feed(samples)
            self.samples_fed += len(samples)
            yield frames[: max(0, stop_frame - first)]

    def state(self) -> dict[str, object]:
        """Everything that changes as blocks are fed (live objects: copy before feeding more)."""
        fixed = {"_window", "_band_matrix", "config"} | ({"rhythm"} if self._grid is not None else set())
        working = {name: value for name, value in vars(self.analyzer).items() if name not in fixed}
        return {"samples_fed": self.samples_fed, "analyzer": working}

    def restore(self, state: dict[str, object]) -> None:
        """Continue from `state` (one `state()` gave, for the same audio, rate and beats).
        Raises ValueError for a state of another shape, before changing anything."""
        working, fed = state.get("analyzer"), state.get("samples_fed")
        expected = set(self.state()["analyzer"])  # type: ignore[arg-type]
        if not isinstance(working, dict) or set(working) != expected or not isinstance(fed, int) or fed < 0:
            raise ValueError("not a schedule state of this analyzer")
        vars(self.analyzer).update(working)
        self.samples_fed, self._blocks = fed, None


def track_features(audio: SampleSource, frame_rate: float, stop_frame: int,
                   beats: BeatSource = "offline") -> Iterator[FrameFeatures]:
    """Features of frames 0 .. stop_frame - 1, in order, streamed.

    Past the end of the audio the analyzer hears silence, so exactly
    `stop_frame` frames come out. Frame n describes time n / frame_rate.
    """
    for frames in FeatureSchedule(audio, frame_rate, beats).blocks_until(stop_frame):
        yield from frames
