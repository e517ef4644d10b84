"""The set's director on synthetic music (120 BPM, 4/4: a beat every 0.5 s, a bar line
every 2 s from t = 0) with section changes and drops at known times: every cue is
expected exactly, on the frame the music gives."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest

from visualizer.errors import PresetError
from visualizer.features.frame import FrameFeatures
from visualizer.params.director import Cue, Director
from visualizer.preset.playlist_spec import AdvanceSpec, PlaylistEntry, PlaylistSpec, TransitionSpec

FPS = 30.0
BEAT_S = 0.5


def music(time: float, bpm: float = 120.0, sections: tuple[float, ...] = (), drops: tuple[float, ...] = (),
          pickup: int = 0) -> FrameFeatures:
    """Features at `time` (s) of a steady 4/4 at `bpm`, beat 1 at t = 0; the first `pickup`
    beats come before the first bar line (as an offline grid may have them)."""
    beat_s = 60.0 / bpm if bpm > 0 else math.inf
    index = math.floor(time / beat_s + 1e-9) if bpm > 0 else -1
    phase = time / beat_s - index if bpm > 0 else 0.0
    position = index - pickup
    return FrameFeatures(
        time, tempo_bpm=bpm, beat_count=index + 1, beat_phase=phase,
        bar_phase=((position % 4) + phase) / 4 if index >= 0 else 0.0, beats_per_bar=4,
        section=sum(t <= time + 1e-9 for t in sections), drop_count=sum(t <= time + 1e-9 for t in drops))


def playlist(count: int = 4, **changes) -> PlaylistSpec:
    """A set of `count` entries (preset files need not exist), changed by `changes`:
    advance fields by name, `on` and `beats` of the transition, or PlaylistSpec fields."""
    advance = AdvanceSpec(**{k: changes.pop(k) for k in ("mode", "bars", "seconds", "min_dwell_bars",
                                                          "cut_on_drop") if k in changes})
    transition = TransitionSpec(**{k: changes.pop(k) for k in ("on", "beats") if k in changes})
    favourites = changes.pop("favourites", {})
    entries = tuple(PlaylistEntry(Path(f"p{i}.toml"), f"p{i}", favourites.get(i)) for i in range(count))
    return PlaylistSpec("test", entries, Path("test.toml"), advance=advance, transition=transition, **changes)


def run(director: Director, seconds: float, fps: float = FPS, requests: dict[int, tuple] | None = None,
        **music_args) -> list[tuple[float, Cue]]:
    """Step `director` through `seconds` of `music`; `requests` maps a frame number to the
    request (and argument) made just before it. Returns (time, cue) for every cue."""
    cues = []
    for frame in range(int(round(seconds * fps)) + 1):
        if requests and frame in requests:
            director.request(*requests[frame])
        time = frame / fps
        cue = director.step(music(time, **music_args))
        if cue is not None:
            cues.append((time, cue))
    return cues


def test_bars_advance_lands_exactly_on_bar_starts():
    director = Director(playlist(3, mode="bars", bars=4, min_dwell_bars=0))
    cues = run(director, 30.0)
    assert [(t, c.entry, c.reason) for t, c in cues] == [
        (8.0, 1, "bars"), (16.0, 2, "bars"), (24.0, 0, "bars")]


def test_bars_advance_at_an_unaligned_frame_rate_takes_the_first_frame_of_the_bar():
    fps = 29.97
    cues = run(Director(playlist(3, mode="bars", bars=2, min_dwell_bars=0)), 30.0, fps=fps)
    assert [round(t // 4.0) for t, _ in cues] == [1, 2, 3, 4, 5, 6, 7]
    assert all(0.0 <= t - 4.0 * round(t / 4.0) < 1.0 / fps for t, _ in cues)


def test_bar_lines_follow_the_bar_phase_when_the_grid_starts_with_pickup_beats():
    # two pickup beats: bar lines at 1, 3, 5, ... s; counting from beat 1 ((count - 1) % 4 == 0)
    # would put them at 0, 2, 4, ... s and the cues at 4 and 8 s
    cues = run(Director(playlist(3, mode="bars", bars=2, min_dwell_bars=0)), 12.0, pickup=2)
    assert [t for t, _ in cues] == [3.0, 7.0, 11.0]


def test_sections_advance_on_the_section_change_and_not_before_the_minimum_dwell():
    director = Director(playlist(4, mode="sections", min_dwell_bars=4))
    # bar 9 starts at 16 s; 20 s is only 2 bars later (too soon); 28 s is 6 bars later
    cues = run(director, 32.0, sections=(16.0, 20.0, 28.0))
    assert [(t, c.entry, c.reason) for t, c in cues] == [(16.0, 1, "section"), (28.0, 2, "section")]


def test_sections_with_bars_also_move_on_after_that_many_bars_without_a_change():
    # 22 s is one bar after the change at 20 s: too soon for min_dwell_bars = 2
    cues = run(Director(playlist(4, mode="sections", bars=4, min_dwell_bars=2)), 30.0, sections=(12.0, 22.0))
    assert [(t, c.reason) for t, c in cues] == [(8.0, "bars"), (12.0, "section"), (20.0, "bars"), (28.0, "bars")]


def test_a_drop_cuts_with_the_drop_style_after_the_minimum_dwell():
    director = Director(playlist(3, mode="manual", min_dwell_bars=4, cut_on_drop=True))
    cues = run(director, 20.0, drops=(3.0, 12.0))  # 3 s: 1 bar in, too soon
    assert [(t, c.entry, c.style, c.reason) for t, c in cues] == [(12.0, 1, "red_flash_cut", "drop")]
    assert cues[0][1].seconds == pytest.approx(0.5)  # drop_beats = 1 beat at 120 BPM


def test_no_drop_cut_without_cut_on_drop():
    assert run(Director(playlist(3, mode="manual", cut_on_drop=False)), 20.0, drops=(12.0,)) == []


def test_a_drop_outranks_a_section_change_on_the_same_frame():
    director = Director(playlist(3, mode="sections", min_dwell_bars=2, cut_on_drop=True))
    cues = run(director, 30.0, sections=(8.0, 28.0), drops=(28.0,))
    assert [(t, c.reason, c.style) for t, c in cues] == [(8.0, "section", "fade"), (28.0, "drop", "red_flash_cut")]


def test_manual_next_waits_for_the_next_bar_when_on_is_bar():
    cues = run(Director(playlist(3, mode="manual", on="bar")), 8.0, requests={90: ("next",)})  # asked at 3.0 s
    assert [(t, c.entry, c.reason) for t, c in cues] == [(4.0, 1, "next")]


def test_manual_next_waits_for_the_next_beat_when_on_is_beat():
    cues = run(Director(playlist(3, mode="manual", on="beat")), 8.0, requests={91: ("next",)})  # 3.033 s
    assert [t for t, _ in cues] == [3.5]


def test_manual_next_is_immediate_when_on_is_now():
    cues = run(Director(playlist(3, mode="manual", on="now")), 8.0, requests={91: ("next",)})
    assert [(t, c.entry) for t, c in cues] == [(91 / FPS, 1)]


def test_manual_moves_do_not_wait_for_bars_in_silence():
    director = Director(playlist(3, mode="manual", on="bar"))
    director.step(music(0.0, bpm=0.0))
    director.request("next")
    cue = director.step(music(0.1, bpm=0.0))
    assert cue is not None and cue.entry == 1 and cue.seconds == pytest.approx(2.0)  # 4 beats at 120 BPM


def test_previous_walks_back_through_what_was_shown():
    director = Director(playlist(5, mode="manual", on="now", favourites={3: 3, 1: 7}))
    requests = {1: ("favourite", 3), 2: ("favourite", 7), 3: ("next",), 4: ("previous",), 5: ("previous",),
                6: ("previous",), 7: ("previous",)}
    cues = run(director, 0.5, requests=requests)
    assert [(c.entry, c.reason) for _, c in cues] == [
        (3, "favourite"), (1, "favourite"), (2, "next"), (1, "previous"), (3, "previous"), (0, "previous")]
    assert director.current == 0  # the history is empty: a fourth previous does nothing


def test_next_after_previous_goes_on_from_the_entry_shown():
    director = Director(playlist(5, mode="manual", on="now", favourites={3: 3}))
    cues = run(director, 0.2, requests={1: ("favourite", 3), 2: ("previous",), 3: ("next",)})
    assert [c.entry for _, c in cues] == [3, 0, 1]


def test_a_favourite_slot_that_no_entry_has_is_refused_naming_the_set():
    director = Director(playlist(3, favourites={0: 1}))
    with pytest.raises(PresetError, match=r"^test\.toml: no entry on number key 5"):
        director.request("favourite", 5)


def test_lock_stops_automatic_advances_but_not_the_performer():
    director = Director(playlist(3, mode="bars", bars=2, min_dwell_bars=0, on="bar"))
    director.step(music(0.0))
    assert director.toggle_lock() is True
    cues = run(director, 12.0, requests={150: ("next",)})  # 5.0 s
    assert [(t, c.reason) for t, c in cues] == [(6.0, "next")]
    assert director.toggle_lock() is False
    later = [(round(t, 6), c.reason) for t, c in run(director, 20.0) if t > 12.0]
    assert later[0] == (14.0, "bars")  # counts bars from 6 s: due since 10 s, held by the lock


def test_shuffle_shows_every_entry_once_per_round_without_repeats_and_deterministically():
    def shown(seed: int) -> list[int]:
        director = Director(playlist(5, mode="bars", bars=1, min_dwell_bars=0, order="shuffle"), seed=seed)
        first = director.current
        return [first] + [c.entry for _, c in run(director, 50.0 - 0.1)]

    order = shown(7)
    assert len(order) == 25
    for start in range(0, 25, 5):
        assert sorted(order[start:start + 5]) == [0, 1, 2, 3, 4]
    assert all(a != b for a, b in zip(order, order[1:]))
    assert shown(7) == order and shown(8) != order


def test_seconds_advance_durations_lie_in_range_and_repeat_with_the_seed():
    def durations(seed: int) -> list[float]:
        director = Director(playlist(4, mode="seconds", seconds=(5.0, 9.0), min_dwell_bars=0, on="now"), seed=seed)
        times = [0.0] + [t for t, _ in run(director, 120.0)]
        return [b - a for a, b in zip(times, times[1:])]

    first = durations(3)
    assert len(first) >= 120 // 9
    assert all(5.0 <= d <= 9.0 + 1.0 / FPS for d in first)
    assert len({round(d, 3) for d in first}) > 3
    assert durations(3) == first and durations(4) != first


def test_seconds_advance_waits_for_the_bar_when_on_is_bar():
    director = Director(playlist(4, mode="seconds", seconds=(3.0, 3.0), min_dwell_bars=0, on="bar"))
    assert [t for t, _ in run(director, 9.0)] == [4.0, 8.0]


def test_transition_seconds_come_from_beats_at_the_tempo_of_the_cue():
    for bpm, seconds in ((120.0, 2.0), (100.0, 2.4), (150.0, 1.6)):
        director = Director(playlist(3, mode="bars", bars=1, min_dwell_bars=0, beats=4.0))
        cues = run(director, 3.0, bpm=bpm)
        assert cues[0][1].seconds == pytest.approx(seconds)


def test_an_entry_transition_and_the_performer_override():
    base = playlist(3, mode="manual", on="now")
    entries = (base.entries[0], replace(base.entries[1], transition=TransitionSpec("luma_wipe", None, None)),
               replace(base.entries[2], transition=TransitionSpec("dissolve", 8.0, None)))
    director = Director(replace(base, entries=entries))
    cues = run(director, 0.2, requests={1: ("next",), 2: ("next",)})
    assert [(c.style, c.seconds) for _, c in cues] == [("luma_wipe", 2.0), ("dissolve", 4.0)]
    director.set_transition("radial_iris", 2.0)
    cue = run(director, 0.1, requests={1: ("next",)})[0][1]
    assert (cue.entry, cue.style, cue.seconds) == (0, "radial_iris", 1.0)
    with pytest.raises(PresetError, match="unknown transition style"):
        director.set_transition("fadde")


def test_load_finds_an_entry_by_name_and_appends_a_preset_outside_the_set():
    director = Director(playlist(3, mode="manual", on="now"))
    director.request("load", "p2")
    assert director.upcoming() == 2
    director.request("load", "darol")
    assert director.upcoming() == 3 and director.entries[3].name == "darol"
    cue = run(director, 0.1)[0][1]
    assert (cue.entry, cue.reason) == (3, "load")
    with pytest.raises(PresetError, match='unknown preset "mimc_bloom"; did you mean "mimic_bloom"'):
        director.request("load", "mimc_bloom")


def test_upcoming_names_the_next_entry_to_compile_ahead():
    director = Director(playlist(4, mode="bars", bars=1, min_dwell_bars=0, favourites={3: 9}))
    assert director.upcoming() == 1
    director.request("favourite", 9)
    assert director.upcoming() == 3


def test_the_same_frames_give_the_same_cues():
    def cues() -> list[Cue]:
        director = Director(playlist(6, mode="sections", bars=4, cut_on_drop=True, order="shuffle", seed=11))
        return [c for _, c in run(director, 40.0, sections=(8.0, 16.0, 30.0), drops=(24.0,),
                                  requests={100: ("random",), 400: ("previous",)})]

    assert cues() == cues()


def test_the_demo_set_over_the_demo_track_changes_on_its_sections_and_cuts_at_the_drop():
    from visualizer.audio.decode import AudioFile
    from visualizer.audio.demo import demo_track_path
    from visualizer.features.schedule import track_features
    from visualizer.preset.playlist import load_playlist

    fps = 10.0
    director = Director(load_playlist(Path(__file__).resolve().parent.parent / "visualizer" / "sets" / "demo.toml"))
    shown = [director.entries[director.current].name]
    cues = []
    for features in track_features(AudioFile(demo_track_path()), fps, int(32.5 * fps)):
        cue = director.step(features)
        if cue is not None:
            cues.append((features.time, cue))
            shown.append(director.entries[cue.entry].name)
    # the analysis: sections from 8.0, 16.0, 24.0 and 28.0 s, the drop at 28.0 s
    assert [(round(t), c.reason, c.style) for t, c in cues] == [
        (8, "section", "flower_iris"), (16, "section", "luma_wipe"), (24, "section", "fade"),
        (28, "drop", "red_flash_cut")]
    assert all(t - round(t) < 0.15 for t, _ in cues)  # on the analysis's bar lines (to the frame)
    assert len(set(shown)) == 5
