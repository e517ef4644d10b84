"""Clips with exact ground truth for bench/beats.py: clicks, synthesised drums, MIDI songs.

Click tracks and drum patterns are synthesised with numpy; the songs are
General MIDI files written with mido (drums on channel 10, bass, chords) and
rendered by the `fluidsynth` CLI with the TimGM6mb soundfont, cached under
$VISUALIZER_CACHE/beats (or the temp folder). Ground truth comes from the
score: beats are quarter notes, onsets are note starts merged within 30 ms.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import mido
import numpy as np
import soundfile as sf

RATE = 44100
SOUNDFONT = Path("/usr/share/sounds/sf2/TimGM6mb.sf2")
CACHE_VERSION = "v2"


@dataclass(frozen=True)
class Clip:
    """Mono float32 audio with its ground truth (seconds, float64, ascending)."""

    name: str
    family: str  # "click" | "drums" | "midi"
    audio: np.ndarray
    sample_rate: int
    tempo: float  # BPM of the quarter note
    beats: np.ndarray
    onsets: np.ndarray


def cache_dir() -> Path:
    default = os.path.join(tempfile.gettempdir(), "visualizer-cache")
    root = os.environ.get("VISUALIZER_CACHE") or default
    path = Path(root) / "beats" / CACHE_VERSION
    path.mkdir(parents=True, exist_ok=True)
    return path


def merge_onsets(times: np.ndarray, within: float = 0.03) -> np.ndarray:
    """Sorted unique onsets; one closer than `within` to the previous kept one is dropped."""
    kept: list[float] = []
    for t in np.sort(np.asarray(times, dtype=np.float64)):
        if not kept or t - kept[-1] >= within:
            kept.append(float(t))
    return np.array(kept)


def _decay(n: int, tau: float, rate: int = RATE) -> np.ndarray:
    t = np.arange(n) / rate
    return np.exp(-t / tau) * np.minimum(t / 0.0005, 1.0)


def _place(out: np.ndarray, sound: np.ndarray, time: float, gain: float = 1.0) -> None:
    start = round(time * RATE)
    end = min(len(out), start + len(sound))
    if 0 <= start < end:
        out[start:end] += gain * sound[: end - start]


def click_clip(bpm: float, seconds: float = 30.0, offset: float = 0.3) -> Clip:
    """Short sine blips on every beat, the downbeat higher, from `offset` seconds."""
    n = int(0.03 * RATE)
    t = np.arange(n) / RATE
    low, high = (np.sin(2 * np.pi * f * t) * _decay(n, 0.006) for f in (1000.0, 2000.0))
    out = np.zeros(int(seconds * RATE))
    beats = np.arange(offset, seconds - 0.1, 60.0 / bpm)
    for i, b in enumerate(beats):
        _place(out, high if i % 4 == 0 else low, b, 0.5)
    return Clip(f"click-{bpm:g}", "click", out.astype(np.float32), RATE, bpm, beats, beats.copy())


def _drum_sounds(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Kick (pitch sweep), snare (tone + noise), closed and open hat (high noise)."""
    n = int(0.4 * RATE)
    t = np.arange(n) / RATE
    sweep = 2 * np.pi * np.cumsum(50.0 + 100.0 * np.exp(-t / 0.03)) / RATE
    noise = rng.standard_normal(n)
    hiss = np.diff(np.diff(noise, prepend=0.0), prepend=0.0) * 0.3  # crude high-pass
    return {
        "kick": np.sin(sweep) * _decay(n, 0.12),
        "snare": 0.5 * np.sin(2 * np.pi * 190.0 * t) * _decay(n, 0.05)
        + 0.5 * noise * _decay(n, 0.08),
        "hat": hiss * _decay(n, 0.02),
        "open": hiss * _decay(n, 0.12),
    }


DRUM_PATTERNS: dict[str, tuple[int, dict[str, str]]] = {  # steps per bar, one char per step
    "rock": (16, {"kick": "x.....x.x.......", "snare": "....x.......x...", "hat": "x." * 8}),
    "four": (16, {"kick": "x...x...x...x...", "snare": "....x.......x...", "open": "..x." * 4}),
    "funk": (16, {"kick": "x..x..x...x..x..", "snare": "....x..x.x..x...", "hat": "x" * 16}),
    "waltz": (12, {"kick": "x...........", "snare": "....x...x...", "hat": "x.x.x.x.x.x."}),
    "break": (16, {"kick": "x.x.......x.....", "snare": "....x.......x..x", "hat": "x." * 8}),
}


def _swing_steps(step: int, swing: float, sixteenths: bool) -> float:
    """Delay in steps (16ths): swung 8th off-beats by `swing` beats, 16ths by half that."""
    if sixteenths:
        return 2.0 * swing if step % 2 == 1 else 0.0
    return 4.0 * swing if step % 4 == 2 else 0.0


def drum_clip(
    bpm: float, pattern: str, swing: float = 0.0, seconds: float = 30.0, seed: int = 0
) -> Clip:
    """A looped drum pattern; `swing` delays every second 8th (or 16th) by that fraction."""
    rng = np.random.default_rng(seed)
    sounds = _drum_sounds(rng)
    steps, lanes = DRUM_PATTERNS[pattern]
    step_s = 60.0 / bpm / 4
    out = np.zeros(int(seconds * RATE))
    onsets = []
    start = 0.25
    for bar in range(int((seconds - 1.0) / (steps * step_s))):
        for lane, hits in lanes.items():
            for k, ch in enumerate(hits):
                if ch != "x":
                    continue
                t = start + (bar * steps + k + _swing_steps(k, swing, pattern == "funk")) * step_s
                _place(out, sounds[lane], t, 0.35 * rng.uniform(0.8, 1.0))
                onsets.append(t)
    beats = np.arange(start, start + len(out) / RATE - 1.0, 60.0 / bpm)
    beats = beats[beats <= max(onsets) + 1e-9]
    name = f"drums-{pattern}-{bpm:g}" + (f"-swing{swing:g}" if swing else "")
    audio = np.tanh(out).astype(np.float32)
    return Clip(name, "drums", audio, RATE, bpm, beats, merge_onsets(np.array(onsets)))


# --- General MIDI songs -----------------------------------------------------------------
# Grooves: steps per beat, beats per bar, then one string per lane (one char per step).
# Drum lanes are GM notes on channel 10; "bass" and "chords" are the pitched parts' rhythms.
GROOVES: dict[str, tuple[int, int, dict[str, str]]] = {
    "rock": (4, 4, {"36": "x.....x.x.......", "38": "....x.......x...", "42": "x.x.x.x.x.x.x.x.",
                    "bass": "x.x.x.x.x.x.x.x.", "chords": "x.......x......."}),
    "pop": (4, 4, {"36": "x.......x.x.....", "38": "....x.......x...", "42": "x.x.x.x.x.x.x.x.",
                   "bass": "x.....x.x.....x.", "chords": "x.....x...x....."}),
    "disco": (4, 4, {"36": "x...x...x...x...", "39": "....x.......x...", "46": "..x...x...x...x.",
                     "bass": "x.x.x.x.x.x.x.x.", "chords": "..x...x...x...x."}),
    "funk": (4, 4, {"36": "x..x..x...x..x..", "38": "....x..x.x..x..x", "42": "xxxxxxxxxxxxxxxx",
                    "bass": "x..x..x.x.x..x.x", "chords": "..x..x....x..x.."}),
    "hiphop": (4, 4, {"36": "x......x..x.....", "38": "....x.......x...", "42": "x.xxx.x.x.xxx.x.",
                      "bass": "x......x..x.....", "chords": "x..............."}),
    "shuffle": (3, 4, {"36": "x.....x.....", "38": "...x.....x..", "42": "x.xx.xx.xx.x",
                       "bass": "x.xx.xx.xx.x", "chords": "x.....x....."}),
    "bossa": (4, 4, {"36": "x..xx..xx..xx..x", "37": "x..x..x...x..x..", "42": "x.x.x.x.x.x.x.x.",
                     "bass": "x..x....x..x....", "chords": "x..x..x...x..x.."}),
    "waltz": (4, 3, {"36": "x...........", "38": "....x...x...", "42": "x.x.x.x.x.x.",
                     "bass": "x.......x...", "chords": "....x...x..."}),
    "reggae": (4, 4, {"36": "........x.......", "37": "........x.......", "42": "x.x.x.x.x.x.x.x.",
                      "bass": "x.....x.x..x....", "chords": "..x...x...x...x."}),
}
PROGRESSIONS = ((0, 5, 3, 4), (0, 3, 4, 3), (5, 3, 0, 4), (0, 4, 5, 3))  # scale degrees
MAJOR = (0, 2, 4, 5, 7, 9, 11)
CHORD_PROGRAMS = (0, 4, 16, 25, 27, 2)  # pianos, organ, guitars: clear attacks
TICKS = 480  # per beat


@dataclass(frozen=True)
class Song:
    midi: mido.MidiFile
    bpm: float
    groove: str
    beats: np.ndarray  # seconds of every quarter note
    onsets: np.ndarray  # seconds of every note-on (unmerged)


def _vary(hits: str, rng: np.random.Generator, flips: int) -> str:
    """The rhythm with `flips` random off-beat steps toggled (per-song syncopation)."""
    chars = list(hits)
    for k in rng.choice(np.arange(1, len(chars)), size=flips, replace=False):
        chars[k] = "." if chars[k] == "x" else "x"
    return "".join(chars)


Note = tuple[int, int, int, int]  # tick, channel, note, velocity


def _lane_notes(groove: str, bars: int, rng: np.random.Generator) -> list[Note]:
    """(tick, channel, note, velocity) of every drum hit, bass and chord note, with fills,
    ghost notes, per-song syncopation and, in half the songs, a 2-bar breakdown."""
    per_beat, beats_per_bar, lanes = GROOVES[groove]
    lanes = {
        lane: _vary(hits, rng, 2) if lane in ("bass", "chords") else hits
        for lane, hits in lanes.items()
    }
    step = TICKS // per_beat
    steps = per_beat * beats_per_bar
    key = 40 + int(rng.integers(0, 12))
    progression = PROGRESSIONS[int(rng.integers(0, len(PROGRESSIONS)))]
    breakdown = range(bars // 2, bars // 2 + 2) if rng.random() < 0.5 else range(0)
    notes = []
    for bar in range(bars):
        degree = progression[bar % 4]
        root = key + MAJOR[degree]
        chord = [
            root + 12 + MAJOR[(degree + i) % 7] - MAJOR[degree] + 12 * ((degree + i) // 7)
            for i in (0, 2, 4)
        ]
        fill = bar % 4 == 3 and bar > 0 and rng.random() < 0.7
        for lane, hits in lanes.items():
            if lane not in ("bass", "chords") and bar in breakdown:
                continue
            for k, ch in enumerate(hits):
                if fill and k >= steps - per_beat and lane not in ("bass", "chords"):
                    continue
                tick = (bar * steps + k) * step
                if ch != "x":
                    if lane == "38" and k % 2 == 1 and rng.random() < 0.1:  # ghost snare
                        notes.append((tick, 9, 38, 35))
                    continue
                vel = (
                    int(rng.integers(80, 115)) if k % per_beat == 0 else int(rng.integers(60, 100))
                )
                if lane == "bass":
                    notes.append((tick, 1, root - 12 + (12 if rng.random() < 0.2 else 0), vel))
                elif lane == "chords":
                    notes += [(tick, 2, n, vel - 15) for n in chord]
                else:
                    notes.append((tick, 9, int(lane), vel))
        if fill and bar not in breakdown:
            first = (bar * steps + steps - per_beat) * step
            notes += [
                (first + i * step, 9, int(rng.choice([38, 45, 48, 50])), 100)
                for i in range(per_beat)
            ]
        if bar % 4 == 0 and bar > 0:
            notes.append((bar * steps * step, 9, 49, 100))
    return notes


def song_midi(seed: int) -> Song:
    """A 30-40 s song: groove and tempo (80-160 BPM) drawn from `seed`; every note
    played up to a few ms off the grid (humanised), beats exactly on it."""
    rng = np.random.default_rng(1000 + seed)
    groove = list(GROOVES)[seed % len(GROOVES)]
    bpm = float(rng.integers(80, 161))
    beats_per_bar = GROOVES[groove][1]
    bars = max(8, round(34.0 / (beats_per_bar * 60.0 / bpm)))
    notes = _lane_notes(groove, bars, rng)
    if rng.random() < 0.5:  # an intro bar without drums
        notes = [n for n in notes if n[1] != 9 or n[0] >= beats_per_bar * TICKS]
    jitter = np.rint(rng.normal(0.0, 0.005 * bpm / 60.0 * TICKS, len(notes))).astype(int)  # 5 ms
    notes = [
        (max(0, tick + int(j)), ch, note, vel) for (tick, ch, note, vel), j in zip(notes, jitter)
    ]
    events = []
    for tick, channel, note, vel in notes:
        length = 100 if channel == 9 else TICKS // 2
        events.append((tick, 1, mido.Message("note_on", channel=channel, note=note, velocity=vel)))
        events.append((tick + length, 0, mido.Message("note_off", channel=channel, note=note)))
    track = mido.MidiTrack([
        mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm)),
        mido.Message("program_change", channel=1, program=int(rng.choice([33, 34, 38]))),
        mido.Message("program_change", channel=2, program=int(rng.choice(CHORD_PROGRAMS))),
    ])
    now = 0
    for tick, _, msg in sorted(events, key=lambda e: (e[0], e[1])):
        track.append(msg.copy(time=tick - now))
        now = tick
    midi = mido.MidiFile(ticks_per_beat=TICKS)
    midi.tracks.append(track)
    seconds = 60.0 / bpm / TICKS
    beats = np.arange(bars * beats_per_bar) * TICKS * seconds
    return Song(midi, bpm, groove, beats, np.array([n[0] for n in notes]) * seconds)


def midi_clip(seed: int) -> Clip:
    """A generated General MIDI song (`song_midi`) rendered by fluidsynth, cached."""
    song = song_midi(seed)
    wav = cache_dir() / f"song-{seed}.wav"
    if not wav.exists():
        mid = cache_dir() / f"song-{seed}.mid"
        song.midi.save(mid)
        tmp = wav.with_suffix(".tmp.wav")
        command = ["fluidsynth", "-ni", "-g", "0.8", "-r", str(RATE), "-F", str(tmp),
                   str(SOUNDFONT), str(mid)]
        subprocess.run(command, check=True, capture_output=True)
        tmp.replace(wav)
    audio, rate = sf.read(wav, dtype="float32", always_2d=True)
    return Clip(f"midi-{seed}-{song.groove}-{song.bpm:g}", "midi", audio.mean(axis=1), rate,
                song.bpm, song.beats, merge_onsets(song.onsets))


def all_clips(quick: bool = False) -> list[Clip]:
    """The bench's clips: a small subset with `quick`."""
    clicks = [60.0, 90.0, 120.0, 150.0, 180.0]
    drums = [(70, "rock", 0.0), (85, "funk", 0.0), (96, "break", 0.0), (100, "rock", 0.16),
             (110, "waltz", 0.0), (124, "four", 0.0), (132, "funk", 0.12), (140, "break", 0.0),
             (150, "waltz", 0.0), (174, "four", 0.0), (180, "rock", 0.0)]
    songs = list(range(18))
    if quick:
        clicks, drums, songs = clicks[2:3], drums[2:5], songs[:5]
    out = [click_clip(b) for b in clicks]
    out += [drum_clip(b, p, s, seed=i) for i, (b, p, s) in enumerate(drums)]
    return out + [midi_clip(seed) for seed in songs]
