"""`visualizer analyze --plot`: waveform, spectrogram, onset strength, onsets
and beats on one figure for a person to look at (matplotlib, Agg).

The file is read in at most ~3000 windows, so a 3-hour mix plots as fast and
in as little memory as a song.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from visualizer.features.track import TrackAnalysis
from visualizer.audio.decode import AudioFile
from visualizer.errors import OutputError
from visualizer.output.atomic import AtomicFile
from visualizer.audio.samples import mix_to_mono

WINDOW = 2048
COLUMNS = 3000
TOP_HZ = 11025.0


def overview(audio: AudioFile) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column times (s), peak amplitude per column, and (bins, columns) dB spectrogram."""
    hop = max(WINDOW // 4, audio.frames // COLUMNS)
    starts = np.arange(0, max(1, audio.frames - WINDOW + 1), hop)
    window = np.hanning(WINDOW)
    top = min(WINDOW // 2 + 1, int(TOP_HZ * WINDOW / audio.sample_rate))
    peaks, columns = np.zeros(len(starts)), np.zeros((top, len(starts)))
    for index, start in enumerate(starts):
        mono = mix_to_mono(audio.read(int(start), int(start) + WINDOW))
        mono = np.pad(mono, (0, WINDOW - len(mono)))
        peaks[index] = np.abs(mono).max()
        magnitude = np.abs(np.fft.rfft(mono * window))[:top] / WINDOW
        columns[:, index] = 20 * np.log10(np.maximum(magnitude, 1e-7))
    return (starts + WINDOW / 2) / audio.sample_rate, peaks, columns


def plot_analysis(path: Path, analysis: TrackAnalysis) -> None:
    """Draw the figure of `analysis` (re-reading its audio) into PNG `path`, atomically."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    with AudioFile(analysis.path) as audio:
        times, peaks, spectrogram = overview(audio)
    figure, axes = plt.subplots(3, 1, figsize=(14, 8), sharex=True, constrained_layout=True)
    axes[0].fill_between(times, -peaks, peaks, color="#3b6ea8", lw=0)
    axes[0].set_ylabel("waveform")
    top_khz = spectrogram.shape[0] * analysis.sample_rate / WINDOW / 1000
    axes[1].imshow(spectrogram, origin="lower", aspect="auto", cmap="magma", vmin=-100, vmax=-20,
                   extent=(0, analysis.duration, 0, top_khz))
    axes[1].set_ylabel("kHz")
    strength_times = np.arange(len(analysis.strength)) / analysis.strength_rate
    axes[2].plot(strength_times, analysis.strength, lw=0.6, color="#444444", label="onset strength")
    axes[2].vlines(analysis.onsets, 0, 1, color="#e07b00", lw=0.8, alpha=0.8, label="onsets")
    axes[2].set_ylabel("onsets")
    axes[2].set_xlabel("seconds")
    for axis in axes:
        low, high = axis.get_ylim()
        axis.vlines(analysis.beats, low, high, color="#d62728", lw=0.8, alpha=0.6)
    axes[2].legend(loc="upper right")
    figure.suptitle(f"{analysis.path.name}: {analysis.tempo_bpm:.1f} BPM, {len(analysis.beats)} beats"
                    f" (red), {len(analysis.onsets)} onsets, {analysis.mode} mode")
    _save(figure, path)
    plt.close(figure)


def _save(figure, path: Path) -> None:
    output = AtomicFile(path)
    try:
        figure.savefig(output.target, dpi=100, format="png")
        output.commit()
    except OSError as exc:
        output.discard()
        raise OutputError(f"{path}: cannot write the plot ({exc}); choose a writable --plot path") from exc
