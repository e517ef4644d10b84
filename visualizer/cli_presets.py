"""`visualizer presets ...`: list, validate, show and scaffold presets."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from visualizer.errors import PresetError


@click.group()
def presets() -> None:
    """Work with presets (TOML files in presets/)."""


@presets.command("list")
def list_presets() -> None:
    """A table of the presets: name, tags, description."""
    from visualizer.preset.loader import available_presets, load_preset

    table = Table("name", "tags", "description", box=None, pad_edge=False)
    for name in available_presets():
        spec = load_preset(name)
        table.add_row(name, ", ".join(spec.tags), _first_sentence(spec.description))
    Console(width=160).print(table)


def _first_sentence(text: str) -> str:
    sentence = " ".join(text.split()).split(". ")[0]
    return sentence if len(sentence) <= 90 else sentence[:87] + "..."


@presets.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check presets (default: all in presets/): exit 0 when all are valid."""
    from visualizer.paths import presets_dir
    from visualizer.render.context import create_headless_context
    from visualizer.render.validate import validate_preset

    targets = list(paths) or sorted(presets_dir().glob("*.toml"))
    ctx = create_headless_context()
    failed = 0
    try:
        for path in targets:
            problems = validate_preset(ctx, path)
            failed += bool(problems)
            for line in problems:
                click.echo(line, err=True)
            if not problems:
                click.echo(f"ok  {path}")
    finally:
        ctx.release()
    if failed:
        raise PresetError(f"{failed} of {len(targets)} presets have problems (listed above)")


@presets.command()
@click.argument("name")
def show(name: str) -> None:
    """A preset's description, passes and parameters."""
    from visualizer.preset.loader import load_preset

    spec = load_preset(name)
    console = Console(width=120)
    console.print(f"[bold]{spec.name}[/bold]  ({spec.path})  tags: {', '.join(spec.tags) or '-'}")
    console.print(" ".join(spec.description.split()), highlight=False)
    passes = Table("pass", "shader", "target", "format", "size", "inputs", box=None, title="passes")
    for index, step in enumerate(spec.passes, start=1):
        size = f"{step.target.size[0]}x{step.target.size[1]}" if step.target.size else f"x{step.target.scale:g}"
        inputs = ", ".join(f"{k}={v}" for k, v in step.inputs) + (" (feedback)" if step.target.feedback else "")
        passes.add_row(str(index), str(step.shader.name), step.target.name, step.target.format, size, inputs)
    console.print(passes)
    params = Table("parameter", "value", box=None, title="parameters")
    for key, value in spec.params:
        params.add_row(key, f"{value:g}" if isinstance(value, float) else str(list(value)))
    console.print(params)


@presets.command()
@click.argument("name")
def new(name: str) -> None:
    """Scaffold presets/NAME.toml and shaders/NAME/scene.glsl (renders at once)."""
    from visualizer.preset.scaffold import scaffold_preset

    preset, shader = scaffold_preset(name)
    click.echo(f"wrote {preset}\nwrote {shader}\ntry: visualizer render --preset {name} --seconds 5")
