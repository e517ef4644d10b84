"""Parameter descriptions for the editor's tooltips, read from a preset's TOML.

A parameter's description is, in order of preference:

1. an explicit `description = "..."` in its `[params.NAME]` table;
2. the comment trailing its entry's line (`[params.NAME]  # ...` or
   `NAME = 1.0  # ...` under `[params]`);
3. the comment lines just above the entry (no blank line between);
4. the comment lines opening its table, before its first key.

A post-chain setting (`bloom_strength`) takes the comment of its line in
`[post.bloom]`. Comment lines join with spaces; an empty `#` line starts a new
paragraph. The file is read with tomlkit (which keeps comments): comments above
a table header live at the end of the previous table's body, so the document
is walked as one stream of comments, blank lines and entries in file order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Comment, Item, Table, Whitespace


@dataclass(frozen=True)
class _Entry:
    """A key or a table header at `path` (keys from the document's root)."""

    path: tuple[str, ...]
    item: Item
    above: str
    trailing: str


def param_descriptions(path: Path) -> dict[str, str]:
    """Description by parameter name for the preset at `path` (only those that
    have one); {} for a file that cannot be read or parsed (the loader reports that)."""
    try:
        document = tomlkit.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, TOMLKitError):
        return {}
    return descriptions_in(document)


def descriptions_in(document: tomlkit.TOMLDocument) -> dict[str, str]:
    """Description by parameter name in a parsed preset document."""
    found: dict[str, str] = {}
    leading: dict[str, str] = {}
    for entry in _entries(document.body, ()):
        name = _param_of(entry.path)
        if name is not None:
            explicit = entry.item.get("description") if isinstance(entry.item, Table) else None
            told = isinstance(explicit, str) and explicit.strip()
            text = explicit if told else entry.trailing or entry.above
            if text:
                found[name] = str(text).strip()
        elif len(entry.path) == 3 and entry.path[0] == "params" and entry.above:
            leading.setdefault(entry.path[1], entry.above)  # a comment opening [params.NAME]
    return {**{n: t for n, t in leading.items() if n not in found}, **found}


def _param_of(path: tuple[str, ...]) -> str | None:
    """The parameter an entry describes: params.NAME, or post.EFFECT.SETTING as EFFECT_SETTING."""
    if len(path) == 2 and path[0] == "params":
        return path[1]
    if len(path) == 3 and path[0] == "post":
        return f"{path[1]}_{path[2]}"
    return None


def _entries(body: list, path: tuple[str, ...], above: list[str] | None = None) -> Iterator[_Entry]:
    """Every key and table header under `body`, in file order, with its comments;
    `above`: comment lines pending from before `body` (above a super table's first child)."""
    block = list(above or [])
    for key, item in body:
        if key is None:
            if isinstance(item, Comment):
                block.append(_comment_text(item.trivia.comment))
            elif isinstance(item, Whitespace) and "\n" in item.s:
                block = []
            continue
        name = getattr(key, "key", str(key))
        tables = item.body if isinstance(item, AoT) else [item] if isinstance(item, Table) else []
        if not tables:
            yield _Entry((*path, name), item, _joined(block), _comment_text(item.trivia.comment))
            block = []
        for table in tables:
            if not table.is_super_table():
                yield _Entry((*path, name), table, _joined(block), _comment_text(table.trivia.comment))
                block = []
            yield from _entries(table.value.body, (*path, name), block)
            block = _trailing_block(table.value.body)


def _trailing_block(body: list) -> list[str]:
    """The comment lines ending a table's body (they sit above the next header)."""
    block: list[str] = []
    for key, item in body:
        if key is None and isinstance(item, Comment):
            block.append(_comment_text(item.trivia.comment))
        elif key is None and isinstance(item, Whitespace) and "\n" not in item.s:
            continue
        else:
            block = []
    return block


def _comment_text(comment: str) -> str:
    """"# some words" -> "some words"; "" for no comment."""
    return comment.strip().removeprefix("#").strip()


def _joined(lines: list[str]) -> str:
    """Comment lines as one text: lines joined by spaces, an empty line a paragraph break."""
    paragraphs = " ".join(line if line else "\n" for line in lines)
    return "\n".join(part.strip() for part in paragraphs.split("\n") if part.strip())
