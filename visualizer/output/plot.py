"""`visualizer analyze --plot`: waveform, spectrogram, onset strength, onsets
and beats on one figure for a person to look at (matplotlib, Agg), with the
song's structure (`plot_structure`) over the waveform and the spectrogram.

The file is read in at most ~3000 windows, so a 3-hour mix plots as fast and
in as little memory as a song. The figure is written in the format its name's
suffix says (PNG, JPEG, SVG or PDF), whole or not at all.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from visualizer.features.track import TrackAnalysis
from visualizer.audio.decode import AudioFile
from visualizer.errors import OutputError
from visualizer.output.atomic import OutputFile
from visualizer.output.plot_structure import draw_structure, structure_legend
from visualizer.output.target import check_free_space, check_output_path, refuse
from visualizer.audio.samples import mix_to_mono

WINDOW = 2048
COLUMNS = 3000
TOP_HZ = 11025.0
PLOT_FORMATS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".svg": "svg", ".pdf": "pdf"}
"""--plot suffix -> the format matplotlib writes."""
PLOT_BYTES = 1 << 20
"""A high estimate of one figure's size (bytes), for the free-space check."""


def check_plot_path(path: Path, audio: Path) -> str:
    """Refuse a `--plot` path that cannot or must not be written (before any analysis);
    returns the format its suffix names."""
    check_output_path(path, "--plot", {"the audio file": audio})
    plot_format = PLOT_FORMATS.get(path.suffix.lower())
    if plot_format is None:
        raise refuse("--plot", path, f"unknown figure type {path.suffix or '(no suffix)'!r};"
                     f" use one of {', '.join(PLOT_FORMATS)}")
    check_free_space(path, "--plot", PLOT_BYTES, "the figure")
    return plot_format


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
    """Draw the figure of `analysis` (re-reading its audio) into `path`, atomically,
    in the format its suffix names."""
    plot_format = check_plot_path(path, analysis.path)
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
        axis.vlines(analysis.beats, low, high, color="#d62728", lw=0.6, alpha=0.35)
    axes[2].legend(loc="upper right")
    draw_structure(axes[0], analysis.structure, dark=False)
    draw_structure(axes[1], analysis.structure, dark=True)
    structure_legend(axes[0])
    axes[0].set_xlim(0, analysis.duration)
    song = analysis.structure
    figure.suptitle(f"{analysis.path.name}: {analysis.tempo_bpm:.1f} BPM, {len(analysis.beats)} beats"
                    f" (thin red), {len(analysis.onsets)} onsets; sections {len(song.sections)}, builds"
                    f" {len(song.builds)}, drops {len(song.drops)}, breakdowns {len(song.breakdowns)};"
                    f" {analysis.mode} mode")
    try:
        save_figure(figure, path, plot_format)
    finally:
        plt.close(figure)


def save_figure(figure, path: Path, plot_format: str) -> None:
    """Write `figure`; on any failure, Ctrl-C included, the temporary goes (and any folder made)."""
    with OutputFile(path, "--plot") as output:
        try:
            figure.savefig(output.target, dpi=100, format=plot_format)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write the plot ({exc.strerror or exc}); choose a writable --plot"
                              " path") from exc
        output.commit()
