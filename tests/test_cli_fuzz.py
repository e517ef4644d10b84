"""The command line's numeric options under fuzzing: whatever is typed for one either parses
to a finite number inside the option's range or is refused while parsing, as one `error:`
line naming the option (exit 2); never a traceback. Parsing is click's own layer
(`make_context`: no command runs); through `main`, a missing audio file stops any command
that gets past parsing before it does any work."""

from __future__ import annotations

import math

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from visualizer.cli.main import cli, main
from visualizer.cli.options import Number

TRIPWIRE = "missing-tripwire.wav"


NumericOption = tuple[tuple[str, ...], click.Command, click.Option]


def numeric_options(group: click.Group = cli, path: tuple[str, ...] = ()) -> list[NumericOption]:
    """(command path, command, option) for every option of type Number, in every command."""
    found = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += numeric_options(command, (*path, name))
            continue
        found += [((*path, name), command, p) for p in command.params
                  if isinstance(p, click.Option) and isinstance(p.type, Number)]
    return found


OPTIONS = numeric_options()
NUMBER_LIKE = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda x: f"{x:g}"),
    st.integers(-10**30, 10**30).map(str),
    st.sampled_from(["nan", "-nan", "NaN", "inf", "-inf", "+Infinity", "1e308", "1e999", "-0", "0", "1e-400",
                     "1" * 5000, "240", "240.0000001", "86400", "86400.0000001", "4", "4.0"]),
    st.text(alphabet="0123456789.eE+-_ nainfx\n\t\x00٣½", max_size=12),
    st.text(max_size=8),
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def required_arguments(command: click.Command) -> list[str]:
    """A stand-in for each required argument (e.g. edit's preset name)."""
    return ["mimic_bloom" for p in command.params if isinstance(p, click.Argument) and p.required]


def test_every_command_with_a_numeric_option_is_fuzzed():
    names = {(" ".join(path), option.opts[0]) for path, _, option in OPTIONS}
    assert {("render", "--fps"), ("render", "--seconds"), ("render", "--start"), ("render", "--ssaa"),
            ("play", "--fps"), ("play", "--seconds"), ("edit", "--fps"), ("edit", "--seconds"),
            ("listen", "--seconds"), ("listen", "--bpm")} <= names


@SETTINGS
@given(index=st.integers(0, len(OPTIONS) - 1), value=NUMBER_LIKE)
def test_parsing_accepts_only_finite_numbers_in_range(index, value):
    path, command, option = OPTIONS[index]
    number: Number = option.type
    argv = [*required_arguments(command), option.opts[0], value]
    try:
        with command.make_context(path[-1], argv) as ctx:
            parsed = ctx.params[option.name]
    except click.UsageError as exc:
        message = exc.format_message()
        assert exc.exit_code == 2
        assert message.startswith(f"{option.opts[0]} ") and "\n" not in message
        assert f"choose {number.range_text}" in message
        return
    assert isinstance(parsed, int if number.integer else float)
    assert math.isfinite(parsed) and parsed <= number.high
    assert parsed > number.low if number.low_open else parsed >= number.low


@SETTINGS
@given(option=st.sampled_from(["--fps", "--seconds", "--start", "--ssaa"]), value=NUMBER_LIKE)
def test_render_through_main_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys, option, value):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(["render", "--audio", TRIPWIRE, "--out", "out.mp4", option, value])
    err = capsys.readouterr().err
    assert exited.value.code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"error: {option} ") or TRIPWIRE in err  # refused while parsing, or parsed
    assert list(tmp_path.iterdir()) == []
