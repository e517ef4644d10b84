"""`visualizer presets ...`: list, validate, show and scaffold presets."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from visualizer.cli.options import FileName
from visualizer.errors import PresetError
from visualizer.printable import printable


def _plain(value: object) -> Text:
    """A preset's string for a rich table or line: control characters escaped,
    markup such as `[/x]` printed as written, never interpreted."""
    return Text(printable(str(value)))


def _row(*cells: object) -> list[Text]:
    return [_plain(cell) for cell in cells]


@click.group()
def presets() -> None:
    """Work with presets: bundles (NAME/preset.toml beside its shaders) found in
    ./presets, ~/.local/share/visualizer/presets, $VISUALIZER_PRESET_PATH and
    the shipped ones, in that order."""


@presets.command("list")
def list_presets() -> None:
    """A table of the presets: name, where it comes from, tags, description."""
    from visualizer.paths import shown_path
    from visualizer.preset.library import find_presets
    from visualizer.preset.loader import load_preset

    table = Table(box=None, pad_edge=False)
    for column in ("name", "source", "path", "tags", "description"):
        table.add_column(column, no_wrap=True)
    for entry in find_presets():
        source = f"{entry.source} (hidden by an earlier one)" if entry.hidden else entry.source
        tags, about = _summary(entry.path, load_preset) if not entry.problem else ("", entry.problem)
        table.add_row(*_row(entry.name, source, shown_path(entry.path), tags, about))
    Console(width=1000).print(table)  # one line a preset, however long its path


def _summary(path: Path, load) -> tuple[str, str]:
    """Tags and the first sentence of the description; the first problem if it does not load."""
    try:
        spec = load(path)
    except PresetError as exc:
        return "", f"does not load: {str(exc).splitlines()[0]}"
    return ", ".join(spec.tags), _first_sentence(spec.description)


def _first_sentence(text: str) -> str:
    sentence = " ".join(text.split()).split(". ")[0]
    return sentence if len(sentence) <= 90 else sentence[:87] + "..."


@presets.command()
@click.argument("paths", nargs=-1, type=FileName())
def validate(paths: tuple[Path, ...]) -> None:
    """Check presets (default: every one on the search path): exit 0 when all are valid."""
    from visualizer.paths import shown_path
    from visualizer.preset.library import find_presets
    from visualizer.render.context import create_headless_context
    from visualizer.render.validate import validate_preset

    targets = [(path, "") for path in paths] or [(entry.path, entry.problem) for entry in find_presets()]
    ctx = create_headless_context()
    failed = 0
    try:
        for path, problem in targets:
            problems = [problem] if problem else validate_preset(ctx, path)
            failed += bool(problems)
            for line in problems:
                click.echo(printable(line), err=True)
            if not problems:
                click.echo(f"ok  {printable(shown_path(path))}")
                _warn_about_history(path)
    finally:
        ctx.release()
    if failed:
        raise PresetError(f"{failed} of {len(targets)} presets have problems (listed above)")


def _warn_about_history(path: Path) -> None:
    """A preset with image feedback should say how long it remembers (exact --start renders)."""
    from visualizer.paths import shown_path
    from visualizer.preset.loader import load_preset
    from visualizer.preset.spec import DEFAULT_HISTORY

    spec = load_preset(path)
    if spec.history is None and spec.image_feedback:
        click.echo(f"warning: {printable(shown_path(path))}: meta.history is not set; a --start render draws"
                   f" {DEFAULT_HISTORY:g} s of its feedback first (a guess): declare how many seconds"
                   " its feedback remembers, e.g. history = 3", err=True)


@presets.command()
@click.argument("name", type=FileName(as_path=False))
def show(name: str) -> None:
    """A preset's description, passes and parameters."""
    from visualizer.paths import shown_path
    from visualizer.preset.loader import load_preset

    spec = load_preset(name)
    console = Console(width=120)
    heading = f"  ({shown_path(spec.path)})  tags: {', '.join(spec.tags) or '-'}"
    console.print(Text.assemble(Text(printable(spec.name), style="bold"), _plain(heading)))
    console.print(_plain(" ".join(spec.description.split())), highlight=False)
    passes = Table("pass", "shader", "target", "format", "size", "inputs", box=None, title="passes")
    for index, step in enumerate(spec.passes, start=1):
        size = f"{step.target.size[0]}x{step.target.size[1]}" if step.target.size else f"x{step.target.scale:g}"
        inputs = ", ".join(f"{k}={v}" for k, v in step.inputs) + (" (feedback)" if step.target.feedback else "")
        passes.add_row(*_row(index, step.shader.name, step.target.name, step.target.format, size, inputs))
    console.print(passes)
    if spec.history_seconds:
        declared = "declared" if spec.history is not None else "default for feedback"
        console.print(f"history: {spec.history_seconds:g} s ({declared}): drawn unseen before a --start")
    params = Table("parameter", "type", "default", "range", "group", box=None, title="parameters")
    for param in spec.params:
        span = f"{param.min:g}..{param.max:g}" if param.min is not None and param.max is not None else ""
        span = span or (", ".join(param.choices) if param.choices else "")
        params.add_row(*_row(param.name, param.type, param.default, span, param.group))
    console.print(params)
    mods = Table("parameter", "follows", "amount", "curve", "attack/release s", box=None, title="modulations")
    for mod in spec.modulations:
        source = f"lfo {mod.shape} every {mod.period:g} beats" if mod.source == "lfo" else mod.source
        mods.add_row(*_row(mod.param, source, mod.amount, mod.curve, f"{mod.attack:g}/{mod.release:g}"))
    for trigger in spec.triggers:
        mods.add_row(*_row(trigger.param, f"{trigger.action} every {trigger.every} {trigger.on}(s)", "", "", ""))
    if spec.modulations or spec.triggers:
        console.print(mods)


@presets.command()
@click.argument("name")
def new(name: str) -> None:
    """Scaffold ./presets/NAME/preset.toml and its scene.glsl (renders at once)."""
    from visualizer.paths import shown_path
    from visualizer.preset.scaffold import scaffold_preset

    preset, shader = scaffold_preset(name)
    click.echo(f"wrote {printable(shown_path(preset))}\nwrote {printable(shown_path(shader))}\n"
               f"try: visualizer render --preset {name} --seconds 5")
