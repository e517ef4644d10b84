"""The project's own demo track, synthesised with numpy alone (no downloads).

16 bars of 4/4 at 120 BPM (32 s) plus a 0.5 s tail: drums, bass, pad and arpeggio over
Am - F - C - G, arranged intro / build / full / breakdown (riser, snare roll, a silent
beat) / drop. Deterministic. Static filters are RBJ biquads applied exactly by FFT;
swept ones use short-time FFT masks. Saws are polyBLEP (band-limited).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import soundfile as sf

from visualizer.atomic import AtomicFile
from visualizer.errors import AudioError
from visualizer.paths import cache_dir

DEMO_BPM = 120.0
DEMO_SAMPLE_RATE = 44100
DEMO_BARS, BEATS_PER_BAR = 16, 4
BEAT_S = 60.0 / DEMO_BPM  # 0.5 s
BAR_S = BEATS_PER_BAR * BEAT_S  # 2.0 s
DEMO_MUSIC_S, DEMO_TAIL_S = DEMO_BARS * BAR_S, 0.5  # 32 s of music, then decays
DEMO_FILE_NAME = "demo-v1.flac"  # bump the version whenever the synthesis changes
PEAK_DBFS = -1.0
_SEED = 0x5EED_DE30
SECTIONS: dict[str, tuple[int, int]] = {  # half-open ranges of 0-based bars
    "intro": (0, 4), "build": (4, 8), "full": (8, 12), "breakdown": (12, 14), "drop": (14, 16),
}
GAP_S = (27.5, 28.0)  # last beat of the breakdown: near silence before the drop
CHORDS = ((57, 60, 64), (53, 57, 60), (55, 60, 64), (55, 59, 62))  # Am F C G (MIDI)
BASS_ROOTS = (33, 29, 36, 31)  # A1 F1 C2 G1
BASS_OCTAVES = (0, 0, 0, 0, 0, 12, 0, 0)  # semitones added per 8th note of a bar
ARP_ORDER = (0, 1, 2, 3, 1, 2, 3, 2) * 2  # chord-tone index (3 = root + 12) per 16th
KICK_GAIN = {"intro": 0.75, "build": 0.9, "full": 0.9, "drop": 1.0}  # kick-bearing sections


def _bars(*names: str) -> list[int]:
    """0-based bar numbers of the named sections, in order."""
    return [b for name in names for b in range(*SECTIONS[name])]


def _times(bars: Iterable[int], offsets_s: Iterable[float]) -> np.ndarray:
    """Seconds (float64) of each offset within each bar, shape (bars * offsets,)."""
    b = np.asarray(list(bars), dtype=np.float64)[:, None] * BAR_S
    return (b + np.asarray(list(offsets_s), dtype=np.float64)[None, :]).ravel()


def _curve(t: np.ndarray, knots: list[tuple[float, float]]) -> np.ndarray:
    """Piecewise-linear curve through (seconds, value) knots, sampled at t."""
    xs, ys = zip(*knots)
    return np.interp(t, xs, ys)


def demo_section_starts() -> np.ndarray:
    """Seconds (float64, ascending) at which each section of `SECTIONS` starts: 0, 8, 16, 24, 28."""
    return np.array(sorted(SECTIONS[name][0] * BAR_S for name in SECTIONS), np.float64)


DEMO_DROPS_S = (SECTIONS["drop"][0] * BAR_S,)
"""The drop: the breakdown's riser and snare roll resolve into full kick and bass at 28 s."""
DEMO_BUILDS_S = ((SECTIONS["breakdown"][0] * BAR_S, SECTIONS["drop"][0] * BAR_S),)
"""The build-up (riser, snare roll) that ends at the drop, (start, end) seconds."""


def demo_beat_times() -> np.ndarray:
    """Seconds (float64, shape (56,), ascending) of every beat where a kick sounds."""
    return _times(_bars(*KICK_GAIN), np.arange(BEATS_PER_BAR) * BEAT_S)


def midi_hz(note: np.ndarray | float) -> np.ndarray:
    """Frequency in Hz of MIDI note number(s) (A4 = 69 = 440 Hz)."""
    return 440.0 * 2.0 ** ((np.asarray(note, dtype=np.float64) - 69.0) / 12.0)


def decay_env(n: int, sr: int, tau_s: float, attack_s: float = 0.001) -> np.ndarray:
    """Envelope, shape (n,): linear attack, exp decay (time constant tau_s), 5 ms fade to 0."""
    t = np.arange(n) / sr
    env = np.exp(-t / tau_s) * np.minimum(t / attack_s, 1.0)
    fade = min(n, max(1, int(0.005 * sr)))
    env[n - fade:] *= np.linspace(1.0, 0.0, fade)
    return env


def biquad_filter(x: np.ndarray, sr: int, *, lowpass_hz: float | None = None,
                  highpass_hz: float | None = None, q: float = 0.7071) -> np.ndarray:
    """x ((n,) or (n, channels)) through RBJ low-/high-pass biquads along axis 0, same shape
    out: the exact causal IIR response, applied by an FFT padded by 0.25 s (no wrap)."""
    n = x.shape[0]
    step = 1 << max(0, (n + sr // 4).bit_length() - 5)
    n_fft = -(-(n + sr // 4) // step) * step  # only small prime factors: a fast FFT
    z1 = np.exp(-2j * np.pi * np.arange(n_fft // 2 + 1) / n_fft)  # z^-1 on the FFT grid
    h = np.ones_like(z1)
    for sign, cutoff in ((-1.0, lowpass_hz), (1.0, highpass_hz)):
        if cutoff is not None:
            w0 = 2.0 * np.pi * min(cutoff, 0.45 * sr) / sr
            cos, alpha = np.cos(w0), np.sin(w0) / (2.0 * q)
            num = (1 + sign * cos) / 2 * (1 - 2 * sign * z1 + z1 * z1)
            h *= num / (1 + alpha - 2 * cos * z1 + (1 - alpha) * z1 * z1)
    spec = np.fft.rfft(np.ascontiguousarray(x.T), n=n_fft) * h
    return np.fft.irfft(spec, n=n_fft)[..., :n].T


def stft_filter(x: np.ndarray, sr: int, cutoff_hz: Callable[[np.ndarray], np.ndarray],
                q: float = 0.9, band: bool = False) -> np.ndarray:
    """Time-varying 2-pole low-pass (band=False) or band-pass (peak 1) of x ((n,) or
    (n, channels)), same shape out. cutoff_hz(frame_centres_s (k,)) -> Hz (k,). Zero-phase
    magnitude masks on 2048-sample periodic-Hann frames at 50 % overlap (which sum to 1)."""
    frame, hop = 2048, 1024
    n, cols = x.shape[0], x.reshape(x.shape[0], -1)
    k = -(-n // hop) + 1
    win = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(frame) / frame)
    r = np.fft.rfftfreq(frame, 1.0 / sr)[None, :] / cutoff_hz(np.arange(k) * hop / sr)[:, None]
    mask = (r / q if band else 1.0) / np.sqrt((1.0 - r * r) ** 2 + (r / q) ** 2)
    out = np.empty_like(cols)
    for c in range(cols.shape[1]):
        blocks = np.zeros((k + 1, hop))
        blocks.ravel()[hop: hop + n] = cols[:, c]
        frames = np.concatenate([blocks[:-1], blocks[1:]], axis=1) * win
        frames = np.fft.irfft(np.fft.rfft(frames) * mask, n=frame)
        blocks[:-1], blocks[-1] = frames[:, :hop], 0.0
        blocks[1:] += frames[:, hop:]
        out[:, c] = blocks.ravel()[hop: hop + n]
    return out.reshape(x.shape)


def polyblep_saw(freq_hz: np.ndarray, sr: int, phase0: float = 0.0) -> np.ndarray:
    """Band-limited (polyBLEP) saw in [-1, 1]; freq_hz is per-sample Hz, shape (n,)."""
    dt = freq_hz / sr
    phase = (phase0 + np.cumsum(dt)) % 1.0
    out = 2.0 * phase - 1.0
    lo, hi = phase < dt, phase > 1.0 - dt
    x = phase[lo] / dt[lo]
    out[lo] -= 2.0 * x - x * x - 1.0
    x = (phase[hi] - 1.0) / dt[hi]
    out[hi] -= x * x + 2.0 * x + 1.0
    return out


def pan_gains(pan: float) -> np.ndarray:
    """Equal-power (left, right) gains, shape (2,), for pan in [-1, 1]; centre = (1, 1)."""
    angle = (pan + 1.0) * np.pi / 4.0
    return np.array([np.cos(angle), np.sin(angle)]) * np.sqrt(2.0)


def place(bus: np.ndarray, sound: np.ndarray, times_s: Iterable[float],
          gains: Iterable[float] | float, sr: int, pan: float = 0.0) -> None:
    """Add sound ((m,) or (m, 2)) into bus (n, 2) at each time (s) with each gain, in place."""
    stereo = sound[:, None] * pan_gains(pan) if sound.ndim == 1 else sound
    times = np.asarray(list(times_s), dtype=np.float64)
    for t, g in zip(times, np.broadcast_to(np.asarray(gains, dtype=np.float64), times.shape)):
        start = int(round(t * sr))
        end = min(bus.shape[0], start + stereo.shape[0])
        if end > start:
            bus[start:end] += g * stereo[: end - start]


def kick(sr: int, rng: np.random.Generator) -> np.ndarray:
    """Mono kick, shape (0.45 s,): sine swept ~150 -> 45 Hz, exponential decay, click."""
    n = int(0.45 * sr)
    t = np.arange(n) / sr
    f_hi, f_lo, tau_f = 150.0, 45.0, 0.03
    body = np.sin(2 * np.pi * (f_lo * t + (f_hi - f_lo) * tau_f * (1 - np.exp(-t / tau_f))))
    click = 0.3 * np.diff(rng.standard_normal(n + 1)) + np.sin(2 * np.pi * 3200 * t)
    x = body * decay_env(n, sr, 0.16) + 0.35 * click * decay_env(n, sr, 0.0015, 0.0002)
    return np.tanh(1.6 * x) / np.tanh(1.6)


def snare(sr: int, rng: np.random.Generator) -> np.ndarray:
    """Mono snare, shape (0.3 s,), peak 1: band-passed noise burst plus 185/330 Hz body."""
    n = int(0.3 * sr)
    t = np.arange(n) / sr
    noise = biquad_filter(rng.standard_normal(n), sr, highpass_hz=1500.0, lowpass_hz=9000.0)
    body = np.sin(2 * np.pi * 185 * t) + 0.5 * np.sin(2 * np.pi * 330 * t)
    x = noise * decay_env(n, sr, 0.1) + 0.7 * body * decay_env(n, sr, 0.05)
    return x / np.max(np.abs(x))


def noise_hit(sr: int, rng: np.random.Generator, decay_s: float, highpass_hz: float,
              channels: int = 1) -> np.ndarray:
    """Hat / cymbal, peak 1: high-passed noise, exp decay, shape (4 * decay_s, channels)."""
    n = int(4 * decay_s * sr)
    noise = biquad_filter(rng.standard_normal((n, channels)), sr, highpass_hz=highpass_hz)
    x = noise * decay_env(n, sr, decay_s, 0.0005)[:, None]
    return x / np.max(np.abs(x))


def pluck(note: float, sr: int) -> np.ndarray:
    """Mono pluck, shape (0.25 s,): 6 additive harmonics, higher ones decaying faster."""
    n = int(0.25 * sr)
    t, f = np.arange(n) / sr, float(midi_hz(note))
    x = np.zeros(n)
    for h in range(1, 7):
        if h * f < 0.45 * sr:
            x += np.sin(2 * np.pi * h * f * t) * np.exp(-t * (6.0 + 5.0 * h)) / h
    return x * decay_env(n, sr, 1.0, 0.002)


def ducking(n: int, sr: int, depth: float, release_s: float) -> np.ndarray:
    """Sidechain gain, shape (n,): dips by depth ~3 ms after each kick, then recovers."""
    kicks = np.round(demo_beat_times() * sr).astype(np.int64)
    last = np.searchsorted(kicks, np.arange(n), side="right") - 1
    since = np.where(last >= 0, np.arange(n) - kicks[np.maximum(last, 0)], 10 * sr) / sr
    return 1.0 - depth * -np.expm1(-since / 0.003) * np.exp(-since / release_s)


def bass(n: int, sr: int) -> np.ndarray:
    """Mono bass, shape (n,): staccato 8ths on the roots (saw + sub) in build/full/drop."""
    idx, eighth = np.arange(n), int(round(BEAT_S / 2 * sr))
    notes = np.add.outer(np.asarray(BASS_ROOTS * 4), np.asarray(BASS_OCTAVES)).ravel()
    freq = midi_hz(notes)[np.minimum(idx // eighth, len(notes) - 1)]
    sub = np.sin(2 * np.pi * np.cumsum(freq) / sr)
    tone = biquad_filter(0.6 * polyblep_saw(freq, sr) + sub, sr, lowpass_hz=320.0, q=1.1)
    t = (idx % eighth) / sr
    gate = np.clip(t / 0.004, 0, 1) * np.clip((0.2 - t) / 0.02, 0, 1) * np.exp(-t / 0.35)
    return tone * gate * np.isin(idx // (8 * eighth), _bars("build", "full", "drop"))


def chord_pad(n: int, sr: int, rng: np.random.Generator) -> np.ndarray:
    """Stereo pad, shape (n, 2): per chord tone, saws detuned -11/0/+11 cents panned L/C/R,
    re-attacked each bar, through a low-pass whose cutoff follows the arrangement."""
    idx, bar_len = np.arange(n), int(round(BAR_S * sr))
    chord = np.minimum(idx // bar_len, DEMO_BARS - 1) % len(CHORDS)
    raw = np.zeros((n, 2))
    for tone in range(3):
        for detune, pan in ((-0.11, -0.8), (0.0, 0.0), (0.11, 0.8)):
            freq = midi_hz(np.asarray(CHORDS)[:, tone] + detune)[chord]
            raw += polyblep_saw(freq, sr, rng.random())[:, None] * pan_gains(pan)
    t_bar = (idx % bar_len) / sr
    raw *= (0.4 + 0.6 * np.minimum(1.0, np.minimum(t_bar, BAR_S - t_bar) / 0.08))[:, None]
    octaves = [(0, 0.3), (8, 1.0), (8.5, 1.3), (16, 1.8), (16.5, 2.5), (24, 2.8),
               (24.5, 0.0), (27.5, 3.2), (28.0, 3.4)]  # (s, cutoff in octaves above 450 Hz)
    return stft_filter(raw, sr, lambda t: 450.0 * 2.0 ** _curve(t, octaves)) / 9.0


def arpeggio(n: int, sr: int) -> np.ndarray:
    """Stereo 16th plucks in the full and drop bars + ping-pong dotted-8th echo, (n, 2)."""
    arp = np.zeros((n, 2))
    plucks = {m + 12: pluck(m + 12, sr) for chord in CHORDS for m in chord + (chord[0] + 12,)}
    for bar in _bars("full", "drop"):
        chord = CHORDS[bar % 4] + (CHORDS[bar % 4][0] + 12,)
        for step, tone in enumerate(ARP_ORDER):
            place(arp, plucks[chord[tone] + 12], [bar * BAR_S + step * BEAT_S / 4],
                  1.0 if step % 4 == 0 else 0.6, sr, -0.35 if step % 2 else 0.35)
    echo = np.zeros_like(arp)
    for delay_s, gain, side in ((0.375, 0.35, 0), (0.75, 0.22, 1), (1.125, 0.12, 0)):
        d = int(round(delay_s * sr))
        echo[d:, side] += gain * arp[:-d].mean(axis=1)
    return arp + echo


def riser(n: int, sr: int, rng: np.random.Generator) -> np.ndarray:
    """Stereo noise through a band-pass gliding 250 Hz -> 9 kHz, fading in, shape (n, 2)."""
    noise = rng.standard_normal((n, 2))
    swept = stft_filter(noise, sr, lambda t: 250.0 * 36.0 ** (t * sr / n), q=2.0, band=True)
    return swept * np.linspace(0.0, 1.0, n)[:, None] ** 2


def _drums(bus: np.ndarray, sr: int, rng: np.random.Generator) -> None:
    """Place kicks, snares, hats, crashes and the breakdown snare roll into bus (n, 2)."""
    groove, busy = _bars("build", "full", "drop"), _bars("full", "drop")
    the_kick, the_snare = kick(sr, rng), snare(sr, rng)
    for name, gain in KICK_GAIN.items():
        place(bus, the_kick, _times(_bars(name), np.arange(4) * BEAT_S), gain, sr)
    place(bus, the_snare, _times(groove, (0.5, 1.5)), 0.85, sr)
    closed, open_hat = (noise_hit(sr, rng, d, f)[:, 0] for d, f in ((0.03, 7e3), (0.16, 6.5e3)))
    eighths = np.arange(8) * BEAT_S / 2
    place(bus, closed, _times(_bars("intro"), eighths), [0.25, 0.4] * 16, sr, 0.3)
    bar_gains = [0.3, 0.5] * 3 + [0.3]  # on-beats quieter; the last off-beat is the open hat
    place(bus, closed, _times(groove, eighths[:-1]), bar_gains * len(groove), sr, 0.3)
    place(bus, open_hat, _times(groove, eighths[-1:]), 0.4, sr, -0.3)
    place(bus, closed, _times(busy, eighths + BEAT_S / 4), 0.16, sr, 0.5)  # 16th ghosts
    roll = np.arange(12) * BEAT_S / 4  # 16ths over beats 1-3 of the breakdown's 2nd bar
    place(bus, the_snare, _times([SECTIONS["breakdown"][0] + 1], roll),
          np.linspace(0.1, 0.7, 12), sr)
    crash_bars = [SECTIONS["full"][0], SECTIONS["drop"][0]]
    place(bus, noise_hit(sr, rng, 0.6, 4500.0, 2), _times(crash_bars, [0.0]), 0.3, sr)


def _melodic(bus: np.ndarray, sr: int, rng: np.random.Generator) -> None:
    """Add bass and pad (both ducked by the kick), the arpeggio and the riser into bus."""
    n = bus.shape[0]
    bus += (bass(n, sr) * ducking(n, sr, 0.9, 0.14))[:, None]
    knots = [(0, 0), (1.5, 0.55), (8, 0.6), (16, 0.75), (24, 0.8), (27.5, 1), (28, 0.8),
             (32, 0.8), (32.45, 0)]
    pad_gain = _curve(np.arange(n) / sr, knots)
    bus += chord_pad(n, sr, rng) * (pad_gain * ducking(n, sr, 0.45, 0.2))[:, None]
    bus += 0.15 * arpeggio(n, sr)
    lo, hi = int(SECTIONS["breakdown"][0] * BAR_S * sr), int(GAP_S[0] * sr)
    bus[lo:hi] += 0.12 * riser(hi - lo, sr, rng)


def synthesize_demo(sample_rate: int = DEMO_SAMPLE_RATE) -> np.ndarray:
    """The demo track: float32 stereo, shape (round(32.5 s * sample_rate), 2), peak -1 dBFS."""
    sr = int(sample_rate)
    rng = np.random.default_rng(_SEED)
    bus = np.zeros((int(round((DEMO_MUSIC_S + DEMO_TAIL_S) * sr)), 2))
    with np.errstate(under="ignore"):  # decays reaching ~0 are fine, whatever the caller set
        _drums(bus, sr, rng)
        _melodic(bus, sr, rng)
    gap = [(0, 1.0), (GAP_S[0], 1.0), (GAP_S[0] + 0.01, 0.01), (GAP_S[1] - 0.005, 0.01)]
    bus *= _curve(np.arange(bus.shape[0]) / sr, gap + [(GAP_S[1], 1.0)])[:, None]
    bus = np.tanh(1.5 * bus / np.max(np.abs(bus)))  # gentle glue on the loudest hits
    bus *= 10.0 ** (PEAK_DBFS / 20.0) / np.max(np.abs(bus))
    return np.ascontiguousarray(bus, dtype=np.float32)


def write_demo_track(path: Path) -> Path:
    """Write the demo to path as 16-bit FLAC, atomically (visualizer/atomic.py)."""
    path = Path(path)
    audio = synthesize_demo(DEMO_SAMPLE_RATE)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with AtomicFile(path) as temp:
            sf.write(str(temp), audio, DEMO_SAMPLE_RATE, format="FLAC", subtype="PCM_16")
    except (OSError, sf.SoundFileError) as exc:
        raise AudioError(f"cannot write the demo track to {path}: {exc}") from exc
    return path


def demo_cache_dir() -> Path:
    """Where the demo track is kept: `paths.cache_dir()`."""
    return cache_dir()


def demo_track_path() -> Path:
    """The cached demo FLAC (demo_cache_dir() / DEMO_FILE_NAME), written on first use."""
    path = demo_cache_dir() / DEMO_FILE_NAME
    if not (path.is_file() and path.stat().st_size > 0):
        write_demo_track(path)
    return path
