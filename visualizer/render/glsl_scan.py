"""The GLSL preprocessor's view of an assembled shader, worked out in Python.

`preprocess` blanks comments, directives and the lines an `#if` leaves out
(a condition it cannot work out keeps both branches: counting too much is
safe), keeping every offset and line, and records each `#define` with where
it takes effect. `expansion_size` bounds how many tokens the macros expand to
(a chain of `#define`s, each repeating the last, doubles per line) before the
driver's preprocessor does it. Every pattern is linear (no quantified group
that can match the same text two ways).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from visualizer.render.glsl_const import Unknown, evaluate, replace_defined

_COMMENT = re.compile(r"//[^\n]*+|/\*[\s\S]*?(?:\*/|\Z)")
_DIRECTIVE = re.compile(r"^[ \t]*+#", re.MULTILINE)
_NAME = re.compile(r"[A-Za-z_]\w*+")
_WORD_OR_PAREN = re.compile(r"[A-Za-z_]\w*+|[(),]")
EXPANSION_CAP = 1 << 40
"""Sizes saturate here (a bomb's true size does not fit in memory)."""


@dataclass(frozen=True)
class Macro:
    """One `#define`: `params` is None for an object-like macro."""

    name: str
    params: tuple[str, ...] | None
    body: str
    offset: int

    @functools.cached_property
    def fanout(self) -> int:
        """How often the most repeated parameter appears in the body (1 at least)."""
        if not self.params:
            return 1
        words = _NAME.findall(self.body)
        return max(1, *(words.count(param) for param in self.params))


@dataclass
class Preprocessed:
    """Active code (same offsets and lines as the source) and its macros."""

    code: str
    history: dict[str, list[tuple[int, Macro | None]]] = field(default_factory=dict)
    """Per name, each (offset, definition or None for #undef), in order."""

    def macro_at(self, name: str, offset: int) -> Macro | None:
        """The definition of `name` in effect at `offset`."""
        entries = self.history.get(name)
        if not entries:
            return None
        index = bisect.bisect_right(entries, offset, key=lambda entry: entry[0]) - 1
        return entries[index][1] if index >= 0 else None

    def body_at(self, offset: int):
        """`name -> body` of the object-like macros in effect at `offset` (for `evaluate`)."""
        def body(name: str) -> str | None:
            macro = self.macro_at(name, offset)
            return macro.body if macro is not None and macro.params is None else None
        return body

    def macros(self) -> dict[str, Macro]:
        """The last definition of every name still defined at the end."""
        return {name: entries[-1][1] for name, entries in self.history.items() if entries[-1][1] is not None}


def blank(text: str) -> str:
    """`text` with everything but newlines turned to spaces (offsets and lines kept)."""
    return "\n".join(" " * len(part) for part in text.split("\n"))


def _blank_comment(match: re.Match) -> str:
    comment = match.group()
    return " " * len(comment) if "\n" not in comment else blank(comment)


def _directive_end(code: str, start: int) -> int:
    """End of the directive starting at `start`, through `\\` line continuations."""
    end = code.find("\n", start)
    while end >= 0 and code[start:end].rstrip("\r").endswith("\\"):
        start, end = end + 1, code.find("\n", end + 1)
    return len(code) if end < 0 else end


class _Conditions:
    """The `#if` stack: whether lines are active (None = cannot tell, kept)."""

    def __init__(self) -> None:
        self.stack: list[tuple[bool, bool, bool]] = []  # (parent active, a branch surely taken, active)

    @property
    def active(self) -> bool:
        return not self.stack or self.stack[-1][2]

    def enter(self, value: bool | None) -> None:
        """`#if`: its lines are active unless the condition is surely false."""
        parent = self.active
        self.stack.append((parent, value is True, parent and value is not False))

    def branch(self, value: bool | None) -> None:
        """`#elif` (`#else`: value True): active unless an earlier branch surely was."""
        if self.stack:
            parent, taken, _ = self.stack[-1]
            self.stack[-1] = (parent, taken or value is True, parent and not taken and value is not False)

    def leave(self) -> None:
        if self.stack:
            self.stack.pop()


def preprocess(text: str) -> Preprocessed:
    """Comments, directives and inactive lines of `text` blanked; its macros recorded."""
    code = _COMMENT.sub(_blank_comment, text)
    result = Preprocessed(code)
    conditions = _Conditions()
    pieces: list[str] = []
    position = 0
    for match in _DIRECTIVE.finditer(code):
        if match.start() < position:
            continue  # inside the previous directive's continuation lines
        end = _directive_end(code, match.start())
        between = code[position:match.start()]
        pieces.append(between if conditions.active else blank(between))
        pieces.append(blank(code[match.start():end]))
        _directive(code[match.end():end].replace("\\\n", " "), match.start(), result, conditions)
        position = end
    tail = code[position:]
    pieces.append(tail if conditions.active else blank(tail))
    result.code = "".join(pieces)
    return result


def _directive(line: str, offset: int, result: Preprocessed, conditions: _Conditions) -> None:
    """Apply one directive (without its `#`) at `offset`."""
    line = line.lstrip()
    name_match = _NAME.match(line)
    keyword = name_match.group() if name_match else ""
    rest = line[len(keyword):]
    if keyword in ("if", "ifdef", "ifndef"):
        conditions.enter(_condition(keyword, rest, offset, result) if conditions.active else False)
    elif keyword == "elif":
        conditions.branch(_condition("if", rest, offset, result))
    elif keyword == "else":
        conditions.branch(True)
    elif keyword == "endif":
        conditions.leave()
    elif not conditions.active:
        return
    elif keyword == "define":
        _define(rest, offset, result)
    elif keyword == "undef" and (target := _NAME.match(rest.strip())):
        result.history.setdefault(target.group(), []).append((offset, None))


def _condition(keyword: str, rest: str, offset: int, result: Preprocessed) -> bool | None:
    """An `#if`/`#ifdef`/`#ifndef` condition: True, False, or None when it cannot be worked out."""
    if keyword != "if":
        target = _NAME.match(rest.strip())
        if target is None:
            return None
        defined = result.macro_at(target.group(), offset) is not None
        return defined if keyword == "ifdef" else not defined
    try:
        text = replace_defined(rest, lambda name: result.macro_at(name, offset) is not None)
        return bool(evaluate(text, result.body_at(offset)))
    except Unknown:
        return None


def _define(rest: str, offset: int, result: Preprocessed) -> None:
    stripped = rest.lstrip()
    name_match = _NAME.match(stripped)
    if name_match is None:
        return
    name = name_match.group()
    after = stripped[name_match.end():]
    params: tuple[str, ...] | None = None
    if after.startswith("("):  # no space between name and "(": a function-like macro
        close = after.find(")")
        if close < 0:
            return
        params = tuple(p.strip() for p in after[1:close].split(",") if p.strip())
        after = after[close + 1:]
    result.history.setdefault(name, []).append((offset, Macro(name, params, after.strip(), offset)))


def _walk(text: str, weight, fanout) -> int:
    """Tokens `text` expands to: a macro counts its weight, and the arguments of a
    function-like macro count as often as its most repeated parameter."""
    total, multiplier = 0, 1
    stack: list[int] = []
    pending = 1
    words = _WORD_OR_PAREN.findall(text)
    for index, word in enumerate(words):
        if word == "(":
            stack.append(multiplier)
            multiplier = min(multiplier * pending, EXPANSION_CAP)
            pending = 1
            continue
        pending = 1
        if word == ")":
            multiplier = stack.pop() if stack else 1
        elif word != ",":
            calls = index + 1 < len(words) and words[index + 1] == "("
            total += weight(word, calls) * multiplier
            pending = fanout(word) if calls else 1
        total = min(total, EXPANSION_CAP)
    return total


def expansion_size(pre: Preprocessed) -> tuple[int, Macro | None]:
    """Words the active code expands to, and the macro that weighs most."""
    macros = pre.macros()
    weights = _weights(macros)
    heaviest = max(macros.values(), key=lambda macro: weights[macro.name], default=None)
    growing = [name for name in macros if weights[name] > 1]
    if not growing:
        return 0, heaviest  # guards and constants: nothing grows
    if all(macro.fanout == 1 for macro in macros.values()):  # no argument is pasted twice: count uses
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, growing)) + r")\b")
        counts = Counter(pattern.findall(pre.code))
        return min(sum(count * weights[name] for name, count in counts.items()), EXPANSION_CAP), heaviest

    def weight(word: str, calls: bool) -> int:
        macro = macros.get(word)
        if macro is None or (macro.params is not None and not calls):
            return 1
        return weights[word]

    def fanout(word: str) -> int:
        macro = macros.get(word)
        return macro.fanout if macro is not None else 1

    return _walk(pre.code, weight, fanout), heaviest


def _weights(macros: dict[str, Macro]) -> dict[str, int]:
    """Each macro's expanded size in words, by an explicit depth-first walk (a chain of
    thousands of defines must not recurse); a macro met inside its own expansion counts 1."""
    weights: dict[str, int] = {}
    visiting: set[str] = set()

    def weight(word: str, calls: bool) -> int:
        macro = macros.get(word)
        if macro is None or word in visiting and word not in weights or (macro.params is not None and not calls):
            return 1
        return weights.get(word, 1)

    def fanout(word: str) -> int:
        macro = macros.get(word)
        return macro.fanout if macro is not None else 1

    for root in macros:
        stack = [root]
        while stack:
            name = stack[-1]
            if name in weights:
                stack.pop()
                continue
            if name not in visiting:
                visiting.add(name)
                deps = [w for w in set(_NAME.findall(macros[name].body))
                        if w in macros and w not in weights and w not in visiting]
                if deps:
                    stack.extend(deps)
                    continue
            weights[name] = max(1, _walk(macros[name].body, weight, fanout))
            stack.pop()
    return weights
