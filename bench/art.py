"""The art checks' figures for every shipped preset (issue 16), one row each.

    .venv/bin/python bench/art.py [--preset NAME ...]

Renders each preset as tests/test_preset_art.py does (128x72 on the demo track;
see tests/art_renders.py) and prints what the checks measure, with each check's
bar: onset correlation r at its best lag (>= 0.3 at lag 0 or +1), motion of the
loud groove over the breakdown (> 1.2), motion with the beat grid ticking over
held (>= 1.3x + 0.3), flicker under steady input (<= 3 levels), the darkest or
lightest share of pure void (>= 60% for "void"), hue coverage (>= 270 degrees for
"rainbow") and the drop frame's jump (>= 12 levels and 3x the frame before, for
"red-flash"). A claim the preset does not make is shown in brackets.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from art_renders import demo_audio, figures, render_for_checks  # noqa: E402

HEADER = (f"{'preset':20s} {'onsets r (lag)':>14s} {'loud/bd':>8s} {'beat tick/held':>15s} {'flicker':>8s} "
          f"{'void':>6s} {'hue':>6s} {'drop jump/before':>17s}")


def claim(text: str, made: bool) -> str:
    return text if made else f"[{text}]"


def row(name: str, samples, rate: int) -> str:
    rendered = render_for_checks(name)
    found, tags = figures(rendered, samples, rate), rendered["tags"]
    onsets = f"{found.r_by_lag[found.best_lag]:.2f} ({found.best_lag:+d})"
    beat = f"{found.beat_ticking:.2f}/{found.beat_held:.2f}"
    void = claim(f"{found.void_min:.0%}", "void" in tags)
    hue = claim(f"{found.hue_max:.0f}", "rainbow" in tags)
    drop = claim(f"{found.flash_jump:.1f}/{found.flash_before:.1f}", "red-flash" in tags)
    return (f"{name:20s} {onsets:>14s} {found.loud_ratio:8.2f} {beat:>15s} {found.flicker:8.2f} "
            f"{void:>6s} {hue:>6s} {drop:>17s}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", action="append", help="only these (default: every shipped preset)")
    args = parser.parse_args()
    names = args.preset or sorted(path.parent.name for path in (ROOT / "visualizer" / "presets").glob("*/preset.toml"))
    samples, rate = demo_audio()
    print(HEADER)
    for name in names:
        print(row(name, samples, rate), flush=True)


if __name__ == "__main__":
    main()
