"""Set files (playlists): what they read into, and one clear line naming the file for each mistake."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from visualizer.errors import PresetError
from visualizer.paths import shipped_presets_dir
from visualizer.preset.library import available_presets
from visualizer.preset.playlist import load_playlist, single_preset_playlist, transition_styles
from visualizer.preset.playlist_spec import AdvanceSpec, TransitionSpec

ROOT = Path(__file__).resolve().parent.parent
DEMO_SET = ROOT / "visualizer" / "sets" / "demo.toml"


def write_set(folder: Path, text: str, name: str = "show.toml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def error_of(path: Path) -> str:
    """The message load_playlist raises for `path`."""
    with pytest.raises(PresetError) as caught:
        load_playlist(path)
    return str(caught.value)


def test_a_full_set_file_reads_into_its_spec(tmp_path):
    (tmp_path / "wipe.glsl").write_text("// a transition of the set's own\n")
    path = write_set(tmp_path, """
        [set]
        name = "Friday"
        order = "shuffle"
        seed = 7
        advance = "bars"
        bars = 8
        min_dwell_bars = 2
        cut_on_drop = true
        [set.transition]
        style = "wipe.glsl"
        seconds = 1.5
        on = "beat"
        drop_style = "dissolve"
        drop_beats = 2
        [[entry]]
        preset = "mimic_bloom"
        favourite = 1
        transition = "flower_iris"
        [[entry]]
        preset = "darol"
        transition = { style = "fade", beats = 8 }
        """)
    spec = load_playlist(path)
    assert (spec.name, spec.order, spec.seed) == ("Friday", "shuffle", 7)
    assert spec.advance == AdvanceSpec("bars", 8, (20.0, 40.0), 2, True)
    assert spec.transition == TransitionSpec(str((tmp_path / "wipe.glsl").resolve()), None, 1.5, "beat")
    assert spec.drop_transition == TransitionSpec("dissolve", 2.0, None, "drop")
    assert [e.name for e in spec.entries] == ["mimic_bloom", "darol"]
    assert spec.entries[0].preset == shipped_presets_dir() / "mimic_bloom" / "preset.toml"
    assert (spec.entries[0].favourite, spec.entries[0].transition) == (1, TransitionSpec("flower_iris", None, None))
    assert spec.entries[1].transition == TransitionSpec("fade", 8.0, None)
    assert spec.favourite_entry(1) == 0 and spec.favourite_entry(2) is None


def test_defaults_and_presets_beside_the_set_or_by_relative_path(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "preset.toml").write_text("")
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "solo.toml").write_text("")
    spec = load_playlist(write_set(tmp_path, """
        [[entry]]
        preset = "mine"
        [[entry]]
        preset = "extra/solo.toml"
        """))
    assert [e.preset for e in spec.entries] == [tmp_path / "mine" / "preset.toml",
                                                (tmp_path / "extra" / "solo.toml").resolve()]
    assert (spec.name, spec.order, spec.advance, spec.transition) == ("show", "sequence", AdvanceSpec(),
                                                                     TransitionSpec())


def test_a_folder_is_every_preset_in_it_sorted_by_name(tmp_path):
    for name in ("zeta", "alpha"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "preset.toml").write_text("")
    (tmp_path / "mid.toml").write_text("")
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / "empty_folder").mkdir()
    spec = load_playlist(tmp_path)
    assert [e.name for e in spec.entries] == ["alpha", "mid", "zeta"]
    assert spec.advance == AdvanceSpec() and spec.path == tmp_path


def test_one_preset_is_a_set_that_waits_for_the_performer():
    path = shipped_presets_dir() / "darol" / "preset.toml"
    spec = single_preset_playlist(path)
    assert [e.preset for e in spec.entries] == [path] and spec.advance.mode == "manual"


def test_the_demo_set_loads_and_the_library_still_lists_only_presets():
    spec = load_playlist(DEMO_SET)
    assert spec.advance.mode == "sections" and spec.advance.cut_on_drop
    assert len(spec.entries) >= 5 and spec.drop_transition.style == "red_flash_cut"
    assert {"demo", "sets"}.isdisjoint(available_presets()) and len(available_presets()) == 12


def test_every_shipped_transition_is_a_known_style():
    assert {"fade", "luma_wipe", "radial_iris", "dissolve", "flower_iris", "red_flash_cut"} <= set(
        transition_styles())


BAD_SETS = {
    "syntax": ('[set]\nname = "x\n', ":2:10: TOML syntax error"),
    "unknown key": ('[set]\nadvanse = "bars"\n[[entry]]\npreset = "darol"\n',
                    ':2:1: set.advanse: unknown key; did you mean "advance"?'),
    "unknown top key": ('[[entries]]\npreset = "darol"\n', ':1:1: entries: unknown key; did you mean "entry"?'),
    "unknown preset": ('[[entry]]\npreset = "mimc_bloom"\n',
                       ':2:1: entry[1].preset: unknown preset "mimc_bloom"; did you mean "mimic_bloom"?'),
    "missing preset file": ('[[entry]]\npreset = "nowhere/p.toml"\n', "entry[1].preset:"),
    "unknown style": ('[set.transition]\nstyle = "fadde"\n[[entry]]\npreset = "darol"\n',
                      ':2:1: set.transition.style: unknown transition style "fadde"; did you mean "fade"?'),
    "missing glsl": ('[set.transition]\nstyle = "mine.glsl"\n[[entry]]\npreset = "darol"\n',
                     'set.transition.style: "mine.glsl": transition shader not found'),
    "unknown entry style": ('[[entry]]\npreset = "darol"\ntransition = "iris"\n',
                            "entry[1].transition: unknown transition style"),
    "duplicate favourite": ('[[entry]]\npreset = "darol"\nfavourite = 3\n[[entry]]\npreset = "white_void"\n'
                            'favourite = 3\n', ":6:1: entry[2].favourite: 3: entry 1 has this number key already"),
    "favourite out of range": ('[[entry]]\npreset = "darol"\nfavourite = 12\n',
                               "entry[1].favourite: 12: give a whole number from 0 to 9"),
    "bars zero": ('[set]\nbars = 0\n[[entry]]\npreset = "darol"\n', "set.bars: 0: give a whole number from 1"),
    "bars text": ('[set]\nbars = "8"\n[[entry]]\npreset = "darol"\n', 'set.bars: "8": give a whole number'),
    "seconds reversed": ('[set]\nseconds = [40, 20]\n[[entry]]\npreset = "darol"\n',
                         "set.seconds: a list: give seconds or [min, max] with 0 < min <= max"),
    "negative beats": ('[set.transition]\nbeats = -1\n[[entry]]\npreset = "darol"\n',
                       "set.transition.beats: -1: give a number from 0 to 64"),
    "beats and seconds": ('[set.transition]\nbeats = 2\nseconds = 1\n[[entry]]\npreset = "darol"\n',
                          "set.transition.seconds: give the length in beats or in seconds, not both"),
    "bad order": ('[set]\norder = "shufle"\n[[entry]]\npreset = "darol"\n',
                  'set.order: "shufle": did you mean "shuffle"? choose one of sequence, shuffle'),
    "bad on": ('[set.transition]\non = "downbeat"\n[[entry]]\npreset = "darol"\n',
               'set.transition.on: "downbeat": did you mean "beat"? choose one of beat, bar, drop, now'),
    "flag as text": ('[set]\ncut_on_drop = "yes"\n[[entry]]\npreset = "darol"\n',
                     'set.cut_on_drop: "yes": give true or false'),
    "empty set": ('[set]\nname = "nothing"\n', "entry: the set has no entries; add [[entry]] tables"),
    "entry without preset": ('[[entry]]\nfavourite = 1\n', "entry[1].preset: missing"),
}


@pytest.mark.parametrize("case", BAD_SETS, ids=str)
def test_each_bad_set_gives_one_line_naming_the_file_and_the_fix(tmp_path, case):
    text, expected = BAD_SETS[case]
    path = tmp_path / "show.toml"
    path.write_text(text)
    message = error_of(path)
    assert "\n" not in message
    assert message.startswith(f"{path}:") and expected in message, message


def test_every_problem_of_a_set_is_reported_at_once(tmp_path):
    path = write_set(tmp_path, '[set]\nbars = 0\norder = "x"\n[[entry]]\npreset = "mimc_bloom"\n')
    lines = error_of(path).splitlines()
    assert len(lines) == 3 and all(line.startswith(f"{path}:") for line in lines)


def test_a_preset_given_as_a_set_is_refused_with_the_fix():
    path = shipped_presets_dir() / "darol" / "preset.toml"
    assert error_of(path) == ("visualizer/presets/darol/preset.toml: is a preset, not a set; play it with --preset,"
                              " or name it in a set's [[entry]]")


def test_a_missing_set_file_is_named_with_the_fix(tmp_path):
    message = error_of(tmp_path / "gone.toml")
    assert message == f"{tmp_path / 'gone.toml'}: set file not found; check the path (a .toml set file or a folder" \
                      " of presets)"


def test_an_empty_folder_is_refused_naming_it(tmp_path):
    (tmp_path / "notes.txt").write_text("")
    message = error_of(tmp_path)
    assert message.startswith(f"{tmp_path}: no presets in this folder") and "\n" not in message


def test_a_set_that_is_not_utf8_or_too_large_is_refused(tmp_path):
    path = tmp_path / "show.toml"
    path.write_bytes(b'[set]\nname = "\xff"\n')
    assert error_of(path).startswith(f"{path}: cannot read the set")
    path.write_text("#" * ((1 << 20) + 1))
    assert "over 1 MiB" in error_of(path)


def test_the_documented_example_set_loads(tmp_path):
    import re

    block = re.search(r"```toml\n(.*?)```", (ROOT / "docs" / "playlists.md").read_text(), re.S).group(1)
    (tmp_path / "my_presets" / "glow").mkdir(parents=True)
    (tmp_path / "my_presets" / "glow" / "preset.toml").write_text("")
    (tmp_path / "sets").mkdir()
    spec = load_playlist(write_set(tmp_path / "sets", block, "friday.toml"))
    assert [e.name for e in spec.entries] == ["mimic_bloom", "glow"] and spec.advance.bars == 16
