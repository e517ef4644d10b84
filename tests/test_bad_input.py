"""The bad-input suite (issue 14, item 6): every case runs `python -m visualizer ...`
as a user types it, in a fresh folder, and must either work or fail with one
`error:` line and exit 2; either way nothing the user owns changes except the
named output (and that only when complete), no input changes by a byte, no
temporary is left, nothing hangs.

The table lives in tests/bad_inputs/ (outputs, arguments, presets and
shaders, audio, other); the machinery in tests/bad_inputs/harness.py. The
selected cases run a few at a time before the first test (most of a run is
waiting on a subprocess); each test then judges its own. A case whose fix
has not landed is a strict xfail naming the part that owes it: when it starts
to pass, the suite fails (XPASS) until the mark is removed.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from bad_inputs import arguments, audio, other, outputs, presets, sheet
from bad_inputs.files import make_inputs
from bad_inputs.harness import Case, Result, allowed, changed, execute

CASES: list[Case] = [*outputs.CASES, *arguments.CASES, *presets.CASES, *audio.CASES, *other.CASES,
                     *sheet.CASES]
IS_ROOT = os.geteuid() == 0
WORKERS = 3
"""Cases run at once: enough to overlap the waits (hangs run to their timeout)."""


def _param(case: Case):
    marks = []
    if case.xfail:
        marks.append(pytest.mark.xfail(strict=True, reason=case.xfail))
    if case.root is True and not IS_ROOT:
        marks.append(pytest.mark.skip(reason="making a device node needs root"))
    if case.root is False and IS_ROOT:
        marks.append(pytest.mark.skip(reason="root reads and writes through any permission"))
    return pytest.param(case, id=case.id, marks=marks)


def test_case_ids_are_unique():
    ids = [case.id for case in CASES]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


@pytest.fixture(scope="module")
def results(request, tmp_path_factory) -> dict[str, Result]:
    """Every selected case, run (the slowest first, WORKERS at a time)."""
    selected = _selected_cases(request)
    inputs = make_inputs(tmp_path_factory.mktemp("inputs"))
    cache = tmp_path_factory.mktemp("cache")  # XDG_CACHE_HOME: font, shader and analysis caches
    display = request.getfixturevalue("display") if any(case.display for case in selected) else None
    with ThreadPoolExecutor(WORKERS) as pool:
        futures = {case.id: pool.submit(execute, case, tmp_path_factory.mktemp(case.id[:40]), inputs, cache,
                                        display if case.display else None)
                   for case in sorted(selected, key=lambda case: -case.timeout)}
    return {case_id: future.result() for case_id, future in futures.items()}


def _selected_cases(request) -> list[Case]:
    """The cases of this session's selected, not skipped, test_bad_input items."""
    cases = []
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        if item.module is request.module and callspec and "case" in callspec.params \
                and item.get_closest_marker("skip") is None:
            cases.append(callspec.params["case"])
    return cases


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_bad_input(case: Case, results: dict[str, Result]):
    result = results[case.id]
    assert result.failure is None, result.failure
    _assert_status_and_messages(case, result)
    _assert_folder(case, result)
    assert result.left == [], "temporaries left behind"
    assert result.outcome.temp_seen == [], f"wrote into TMPDIR: {result.outcome.temp_seen}"


def _assert_status_and_messages(case: Case, result: Result) -> None:
    outcome = result.outcome
    stderr = outcome.stderr
    assert outcome.status in case.statuses, f"exit {outcome.status}, expected {case.status}; stderr:\n{stderr}"
    assert "Traceback" not in stderr, stderr
    if outcome.status != 0:
        _assert_one_error_line(case, stderr)
        for word in case.words:
            assert word in stderr, f"{word!r} not in stderr:\n{stderr}"
    elif not case.interrupt_when:  # an interrupted case may finish first: then nothing to check
        for word in case.warns:
            assert word in stderr, f"{word!r} not in stderr:\n{stderr}"
    for word in case.not_words:
        assert word not in stderr, f"{word!r} in stderr:\n{stderr}"
    for word in case.stdout_has:
        assert word in outcome.stdout, f"{word!r} not in stdout:\n{outcome.stdout}"
    for word in case.not_stdout:
        assert word not in outcome.stdout, f"{word!r} in stdout:\n{outcome.stdout!r}"


def _assert_one_error_line(case: Case, stderr: str) -> None:
    """One line starting with `error: `. Only a compile error may quote the failing
    source below it (indented), and only `presets validate` lists every problem above it."""
    lines = stderr.splitlines()
    assert [line for line in lines if line.startswith("error: ")] != [], f"no error: line:\n{stderr}"
    if case.argv[:2] == ("presets", "validate"):
        assert lines[-1].startswith("error: ") and sum(line.startswith("error: ") for line in lines) == 1, stderr
        return
    assert lines[0].startswith("error: "), f"something before the error: line:\n{stderr}"
    assert all(line[:1].isspace() for line in lines[1:]), f"more than one error: line:\n{stderr}"


def _assert_folder(case: Case, result: Result) -> None:
    """Only a successful run may touch the work folder, and only its named outputs;
    what it replaces keeps its kind (a symlink stays a link, a folder a folder)."""
    differences = changed(result.before, result.after)
    if result.outcome.status != 0:
        assert differences == {}, f"a failed run changed the folder: {differences}"
        return
    unexpected = {path: diff for path, diff in differences.items() if not allowed(path, case.changes)}
    assert unexpected == {}, f"changed besides the named output: {unexpected}"
    for path, (old, new) in differences.items():
        assert old is None or new is None or old[0] == new[0], f"{path}: a {old[0]} became a {new[0]}"
    for pattern in case.changes:
        assert any(allowed(path, (pattern,)) for path in result.after), f"{pattern} was not written"
    if case.check:
        case.check(result.work)
