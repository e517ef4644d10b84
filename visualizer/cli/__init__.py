"""The `visualizer` command line: click commands, progress bars and meters."""

from visualizer.cli.main import cli, main

__all__ = ["cli", "main"]
