"""GLSL declarations read from one statement's tokens: types, array sizes, sizes
in scalar components and in std140 bytes. Pure text, no GL.

`parse_statement` reads `[qualifiers] TYPE[dims] name[dims] [= init], ...`
or a function header `TYPE name(params)`; anything else is not a declaration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

TOKEN = re.compile(r"[A-Za-z_]\w*+|\d[\w.]*+|\.\d[\w.]*+|\S")

_VECTORS = {f"{prefix}vec{n}": n * width for prefix, width in (("", 1), ("i", 1), ("u", 1), ("b", 1), ("d", 2))
            for n in (2, 3, 4)}
_MATRICES = {f"{prefix}mat{c}x{r}": c * r * width for prefix, width in (("", 1), ("d", 2))
             for c in (2, 3, 4) for r in (2, 3, 4)}
_MATRICES.update({f"{prefix}mat{n}": n * n * width for prefix, width in (("", 1), ("d", 2)) for n in (2, 3, 4)})
COMPONENTS: dict[str, int] = {"float": 1, "int": 1, "uint": 1, "bool": 1, "double": 2, **_VECTORS, **_MATRICES}
"""Scalar components of each built-in type (a double counts two)."""
_OPAQUE = re.compile(r"[iu]?(?:sampler|image|texture)\w*+|atomic_uint")
QUALIFIERS = frozenset(
    "const uniform in out inout attribute varying centroid flat smooth noperspective invariant precise highp "
    "mediump lowp patch sample coherent volatile restrict readonly writeonly shared buffer".split()
)


@dataclass
class Declarator:
    """One declared name: its array sizes (expression text, None when unsized) and where."""

    name: str
    dims: list[str | None]
    offset: int
    initializer_count: int | None = None
    """Elements of an array constructor that initialises it, if one does."""
    value: str = ""
    """The initialiser's text (for `const int N = 4`)."""
    type_name: str | None = None
    """Its own type (a function parameter's); None: the statement's."""


@dataclass
class Statement:
    """A declaration (or a function header, with its parameters as `declarators`)."""

    type_name: str
    qualifiers: set[str]
    declarators: list[Declarator] = field(default_factory=list)
    function: str | None = None


class Types:
    """Built-in types plus the structs a shader defines (components, std140 size and alignment)."""

    def __init__(self) -> None:
        self.structs: dict[str, tuple[int, int]] = {}  # name -> (components, std140 bytes)

    def known(self, name: str) -> bool:
        return name in COMPONENTS or name in self.structs or name == "void" or bool(_OPAQUE.fullmatch(name))

    def components(self, name: str) -> int:
        """Scalar components of one value of `name` (opaque types such as samplers: 0)."""
        if name in COMPONENTS:
            return COMPONENTS[name]
        return self.structs[name][0] if name in self.structs else 0

    def std140(self, name: str, count: int | None) -> tuple[int, int]:
        """(size, alignment) in bytes of `name`, or of an array of `count` of them."""
        if name in self.structs:
            size, align = -(-self.structs[name][1] // 16) * 16, 16
        elif name in COMPONENTS:
            base = 8 if name.startswith("d") else 4
            columns, rows = _shape(name)
            if columns > 1:  # a matrix: an array of column vectors, each padded to 16 bytes
                size, align = columns * max(16, rows * base if rows != 3 else 4 * base), 16
            else:
                size, align = rows * base, base * (4 if rows == 3 else rows)
        else:
            size, align = 0, 4
        if count is None:
            return size, align
        stride = -(-size // 16) * 16
        return stride * count, 16


def _shape(name: str) -> tuple[int, int]:
    """(columns, rows) of a built-in type: vec3 is (1, 3), mat4x2 is (4, 2), float is (1, 1)."""
    match = re.fullmatch(r"d?mat(\d)(?:x(\d))?", name)
    if match:
        return int(match.group(1)), int(match.group(2) or match.group(1))
    vector = re.fullmatch(r"[dibu]?vec(\d)", name)
    return 1, int(vector.group(1)) if vector else 1


class StatementReader:
    """Reads tokens (text, offset) of one statement of `code`."""

    def __init__(self, code: str, types: Types) -> None:
        self.code, self.types = code, types

    def parse(self, start: int, end: int, type_name: str | None = None) -> Statement | None:
        """The declaration between offsets `start` and `end`; with `type_name`, a
        list of declarators of that type (what follows a struct's closing brace)."""
        tokens = [(m.group(), m.start()) for m in TOKEN.finditer(self.code, start, end)]
        index, qualifiers = 0, set()
        if type_name is None:
            index, qualifiers = _skip_qualifiers(tokens)
            if index >= len(tokens) or not self.types.known(tokens[index][0]):
                return None
            type_name = tokens[index][0]
            index += 1
        statement = Statement(type_name, qualifiers)
        type_dims, index = self.dims(tokens, index)
        if index + 1 < len(tokens) and _is_name(tokens[index][0]) and tokens[index + 1][0] == "(":
            statement.function = tokens[index][0]
            statement.declarators = self.parameters(tokens, index + 2)
            return statement
        while index < len(tokens) and _is_name(tokens[index][0]):
            name, offset = tokens[index]
            dims, index = self.dims(tokens, index + 1)
            declarator = Declarator(name, type_dims + dims, offset)
            statement.declarators.append(declarator)
            if index < len(tokens) and tokens[index][0] == "=":
                first = index + 1
                declarator.initializer_count, index = self.initializer(tokens, first)
                if first < len(tokens):
                    stop = tokens[index][1] if index < len(tokens) else end
                    declarator.value = self.code[tokens[first][1]:stop]
            if index >= len(tokens) or tokens[index][0] != ",":
                break
            index += 1
        return statement

    def dims(self, tokens: list[tuple[str, int]], index: int) -> tuple[list[str | None], int]:
        """Array sizes `[..][..]` from `index`: their expression texts (None when empty)."""
        found: list[str | None] = []
        while index < len(tokens) and tokens[index][0] == "[":
            close = _matching(tokens, index, "[", "]")
            if close is None:
                return found, len(tokens)  # a syntax error: the driver names it
            text = self.code[tokens[index][1] + 1:tokens[close][1]].strip()
            found.append(text or None)
            index = close + 1
        return found, index

    def initializer(self, tokens: list[tuple[str, int]], index: int) -> tuple[int | None, int]:
        """Skip `= value` to the next top-level comma; the element count of an
        array constructor `TYPE[..](a, b, ...)` when the value is one."""
        count = None
        if index + 1 < len(tokens) and self.types.known(tokens[index][0]) and tokens[index + 1][0] == "[":
            _, after = self.dims(tokens, index + 1)
            if after < len(tokens) and tokens[after][0] == "(":
                count = _arguments(tokens, after)
        depth = 0
        while index < len(tokens):
            depth += _nesting(tokens[index][0])
            if depth < 0 or (depth == 0 and tokens[index][0] == ","):
                break
            index += 1
        return count, index

    def parameters(self, tokens: list[tuple[str, int]], index: int) -> list[Declarator]:
        """Array parameters of a function header whose "(" is just before `index`."""
        close = _matching(tokens, index - 1, "(", ")")
        end = close if close is not None else len(tokens)
        found, start = [], index
        for position in range(index, end + 1):
            if position == end or (tokens[position][0] == "," and _depth(tokens, start, position) == 0):
                part = tokens[start:position]
                skip, _ = _skip_qualifiers(part)
                if skip + 1 < len(part) and self.types.known(part[skip][0]):
                    type_dims, after = self.dims(part, skip + 1)
                    if after < len(part) and _is_name(part[after][0]):
                        dims, _ = self.dims(part, after + 1)
                        if type_dims + dims or part[skip][0] in self.types.structs:
                            found.append(Declarator(part[after][0], type_dims + dims, part[after][1],
                                                    type_name=part[skip][0]))
                start = position + 1
        return found


def _is_name(token: str) -> bool:
    return token[0].isalpha() or token[0] == "_"


def _skip_qualifiers(tokens: list[tuple[str, int]]) -> tuple[int, set[str]]:
    """Index of the first token after the qualifiers (and `layout(...)`), and the qualifiers."""
    index, found = 0, set()
    while index < len(tokens):
        token = tokens[index][0]
        if token == "layout" and index + 1 < len(tokens) and tokens[index + 1][0] == "(":
            close = _matching(tokens, index + 1, "(", ")")
            index = close + 1 if close is not None else len(tokens)
        elif token in QUALIFIERS:
            found.add(token)
            index += 1
        else:
            break
    return index, found


def _matching(tokens: list[tuple[str, int]], index: int, opener: str, closer: str) -> int | None:
    """Index of the token closing the `opener` at `index`."""
    depth = 0
    for position in range(index, len(tokens)):
        token = tokens[position][0]
        depth += (token == opener) - (token == closer)
        if depth == 0:
            return position
    return None


def _nesting(token: str) -> int:
    """+1 for an opening bracket, -1 for a closing one, else 0."""
    return 1 if token in ("(", "[", "{") else -1 if token in (")", "]", "}") else 0


def _depth(tokens: list[tuple[str, int]], start: int, end: int) -> int:
    return sum(_nesting(token) for token, _ in tokens[start:end])


def _arguments(tokens: list[tuple[str, int]], index: int) -> int:
    """Arguments of the call whose "(" is at `index` (top-level commas plus one)."""
    depth, commas = 0, 0
    for position in range(index, len(tokens)):
        token = tokens[position][0]
        depth += _nesting(token)
        if depth == 0:
            break
        commas += depth == 1 and token == ","
    return commas + 1
