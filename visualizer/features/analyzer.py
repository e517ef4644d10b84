"""The streaming analyzer: audio blocks in, one `FrameFeatures` per video frame.

Live input and offline files feed the same object; offline simply feeds the
file at the video's pace. Frame k describes stream time k / frame_rate. With
`lookahead` (offline) the analysis window is centred on that time; without
it (live) the window ends there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from visualizer.audio.samples import mix_to_mono
from visualizer.features.bands import BANDS_HZ, band_amplitudes, band_matrix
from visualizer.features.frame import BAND_COUNT, HISTORY_FRAMES, TEXTURE_WIDTH, FrameFeatures
from visualizer.features.levels import LevelConfig, NormalisedLevels, RelativeLevels, SongLevels
from visualizer.features.rhythm import LiveRhythm
from visualizer.features.spectrum import BandLevels, History, ShadertoySpectrum, fft_size_for


@dataclass(frozen=True)
class AnalyzerConfig:
    """Tuning of the analyzer. `lookahead` centres windows on the frame time
    (offline); live analysis leaves it off."""

    levels: LevelConfig = field(default_factory=LevelConfig)
    spectrum_smoothing: float = 0.8  # WebAudio AnalyserNode's smoothingTimeConstant
    lookahead: bool = True


class Rhythm(Protocol):
    """Onsets and beats: `LiveRhythm` (causal) or `GridRhythm` (whole track)."""

    def process(self, mono: np.ndarray) -> None: ...

    def at(self, time: float) -> dict[str, float | int]: ...


class StreamingAnalyzer:
    """Feeds on mono or multichannel float blocks; emits frames as time allows.

    `start_time` is the time (s) of the first sample fed, so frame k reports
    `start_time + k / frame_rate`. `rhythm` defaults to live (causal) onsets
    and beats.
    """

    def __init__(self, sample_rate: float, frame_rate: float, config: AnalyzerConfig | None = None,
                 rhythm: Rhythm | None = None, start_time: float = 0.0):
        self.sample_rate = float(sample_rate)
        self.frame_rate = float(frame_rate)
        self.config = config or AnalyzerConfig()
        self.fft_size = fft_size_for(sample_rate)
        self.lookahead = self.fft_size // 2 if self.config.lookahead else 0
        self._window = np.blackman(self.fft_size).astype(np.float32)
        self._buffer = np.zeros(self.fft_size, np.float32)  # samples ending at _buffer_end
        self._buffer_end = 0  # absolute index one past the last sample fed
        self._frame = 0
        dt = 1.0 / self.frame_rate
        self._band_matrix = band_matrix(self.sample_rate, self.fft_size)
        self._spectrum = ShadertoySpectrum(self.fft_size // 2 + 1, self.config.spectrum_smoothing)
        self._bands = BandLevels(self.sample_rate, self.fft_size, dt)
        self._history = History(HISTORY_FRAMES, BAND_COUNT)
        self._levels = NormalisedLevels(self.config.levels, dt)
        self._relative = RelativeLevels(self.config.levels, dt)
        self._song = SongLevels(self.config.levels, dt)
        self.rhythm = rhythm if rhythm is not None else LiveRhythm(self.sample_rate)
        self.start_time = start_time

    @property
    def frames_emitted(self) -> int:
        return self._frame

    def frame_end_sample(self, frame: int) -> int:
        """Absolute sample index at which frame `frame` can be computed."""
        return round(frame * self.sample_rate / self.frame_rate) + self.lookahead

    def feed(self, block: np.ndarray) -> list[FrameFeatures]:
        """Add samples, shape (n,) or (n, channels); return the frames now complete."""
        mono = mix_to_mono(block)
        self.rhythm.process(mono)
        self._buffer = np.concatenate([self._buffer, mono])
        self._buffer_end += len(mono)
        due = []
        while self.frame_end_sample(self._frame + len(due)) <= self._buffer_end:
            due.append(self._frame + len(due))
        frames = []
        if due:
            windows = np.stack([self._window_at(self.frame_end_sample(f)) for f in due])
            spectra = (np.abs(np.fft.rfft(windows * self._window, axis=1)) / self.fft_size).astype(np.float32)
            frames = [self._analyse(*row) for row in zip(due, windows, spectra)]
            self._frame += len(due)
        keep = self._buffer_end - self.frame_end_sample(self._frame) + self.fft_size
        self._buffer = self._buffer[-max(keep, self.fft_size):]
        return frames

    def _window_at(self, end: int) -> np.ndarray:
        """The `fft_size` samples ending at absolute index `end`."""
        offset = len(self._buffer) - (self._buffer_end - end)
        return self._buffer[offset - self.fft_size: offset]

    def _analyse(self, frame: int, samples: np.ndarray, magnitude: np.ndarray) -> FrameFeatures:
        """Features of `frame` from its window `samples` and their magnitude spectrum.

        Per frame on purpose: batched matrix products would round differently
        with the block size, and frames must not depend on how audio arrives."""
        power = (magnitude * magnitude)[None, :]
        band_amplitude = band_amplitudes(power, self._band_matrix)[0]
        band_power = self._bands.powers(power)[0]
        centre = self.fft_size - self.lookahead
        hop = max(1, round(self.sample_rate / self.frame_rate))
        recent = samples[max(0, centre - hop): centre]
        raw = {"level": float(np.sqrt(np.mean((recent - recent.mean()) ** 2)))}
        raw.update(zip(BANDS_HZ, map(float, band_amplitude)))
        bands = self._bands.step(band_power)
        return FrameFeatures(
            time=self.start_time + frame / self.frame_rate,
            **self.rhythm.at(frame / self.frame_rate),
            **self._levels.step(raw),
            **self._relative.step(raw),
            **self._song.step(raw),
            spectrum=self._spectrum.step(magnitude),
            waveform=np.clip(0.5 + 0.5 * samples[centre - TEXTURE_WIDTH: centre], 0.0, 1.0),
            bands=bands,
            spectrogram=self._history.push(bands),
        )

