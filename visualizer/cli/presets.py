"""`visualizer presets ...`: list, validate, show and scaffold presets, and draw their sheet."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from visualizer.cli.options import FileName, Size
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


@presets.command()
@click.option("--out", type=FileName(), help="The PNG to write (default: renders/presets-sheet.png).")
@click.option("--audio", type=FileName(), help="Take the moments from this file (default: the demo track).")
@click.option("--size", type=Size(), default="320x180", show_default=True, help="Each tile's size in pixels.")
@click.option("--preset", "names", type=FileName(as_path=False), multiple=True, metavar="NAME|PATH",
              help="Only these presets, in this order (repeatable; default: every one found).")
def sheet(out: Path | None, audio: Path | None, size: tuple[int, int], names: tuple[str, ...]) -> None:
    """Every preset at five moments (silence, a kick, a loud passage, a build, a drop) in one labelled PNG."""
    from visualizer.audio.decode import AudioFile
    from visualizer.audio.demo import demo_track_path
    from visualizer.output.sheet import check_sheet_path, draw_rows, moments_of, subjects
    from visualizer.output.sheet_image import compose, write_sheet
    from visualizer.paths import renders_dir

    track = audio if audio is not None else demo_track_path()
    path = out if out is not None else renders_dir() / ("presets-sheet.png" if audio is None
                                                        else f"presets-sheet-{audio.stem}.png")
    option = "--out" if out is not None else "output"
    check_sheet_path(path, option, {"--audio": audio}, size)
    chosen = subjects(names)
    with AudioFile(track) as decoded:
        moments = moments_of(decoded, demo=audio is None)
        with _tile_progress(len(chosen) * len(moments)) as advance:
            rows = draw_rows(chosen, decoded, moments, size, advance)
    label = "the demo track" if audio is None else printable(audio.name)
    write_sheet(path, option, compose(rows, moments, size, label))
    # Said once it is written: a failure before is its one error line alone.
    where = "the demo track" if audio is None else printable(str(audio))
    click.echo(f"moments from {where}: " + ", ".join(m.describe() for m in moments), err=True)
    for row in rows:
        if row.problem:
            click.echo(f"warning: {printable(row.name)}: not drawn: {printable(row.problem)}", err=True)
    click.echo(f"wrote {printable(str(path))}", err=True)


@contextmanager
def _tile_progress(total: int):
    """A transient bar of tiles drawn (none off a terminal); yields the per-tile callback."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=console, transient=True, disable=not console.is_interactive)
    task = bar.add_task("sheet", total=total)
    with bar:
        yield lambda name, moment: bar.update(task, advance=1, description=printable(name))
