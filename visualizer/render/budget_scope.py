"""The top level of a preprocessed shader for `budget`: structs, interface blocks
and functions, what each function's arrays cost once every call is inlined,
and array constructors inside expressions."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from visualizer.render.glsl_decl import QUALIFIERS, TOKEN, Declarator, StatementReader, Types


_MAYBE_TYPE_OR_BLOCK = re.compile(r"\b(?:struct|uniform|in|out|buffer)\b")
_FUNCTION_NAME = re.compile(r"([A-Za-z_]\w*+)\s*+\(")


@dataclass
class Array:
    """An array (or a struct holding arrays) and the scalar components it takes."""

    name: str
    components: int
    offset: int
    owner: str | None
    """The function it belongs to (a local or parameter), None for a global."""


@dataclass
class Block:
    """A uniform block and its std140 size in bytes."""

    name: str
    size: int
    offset: int


class Scope:
    """Reads the top-level `{...}` of a shader: a struct is registered as a type, a
    uniform block measured, a function's body and array parameters recorded.

    `sizer(declarator, type_name)` gives a declarator's scalar components (it raises
    for a size that cannot be worked out); `elements(declarator)` its element count."""

    def __init__(self, code: str, layout, types: Types, sizer, elements) -> None:
        self.code, self.layout, self.types = code, layout, types
        self.reader = StatementReader(code, types)
        self.sizer, self.elements = sizer, elements
        self.bodies: list[tuple[int, int, str]] = []
        self.skipped: list[tuple[int, int]] = []
        self.parsed: set[int] = set()
        self.arrays: list[Array] = []
        self.blocks: list[Block] = []

    def read(self) -> None:
        """Structs and blocks are read whole; a function is only named here (the
        name before its first "("): its array parameters are found with the
        other arrays, by the "[" in its header."""
        for open_, close in self.layout.top_level:
            start, _ = self.layout.statement(open_)
            if _MAYBE_TYPE_OR_BLOCK.search(self.code, start, open_):
                head = [m.group() for m in TOKEN.finditer(self.code, start, open_)]
                if len(head) == 2 and head[0] == "struct":
                    self.parsed.add(start)
                    self.struct(head[1], start, open_, close)
                    continue
                if (name := _block_name(head, self.types)) is not None:
                    self.parsed.add(start)
                    self.block(name, "uniform" in head, start, open_, close)
                    continue
            function = _FUNCTION_NAME.search(self.code, start, open_)
            if function is not None:
                self.bodies.append((start, close, function.group(1)))

    def parameters(self, statement, owner: str) -> None:
        """The array (and struct) parameters of a function header: copied at every call."""
        for declarator in statement.declarators:
            self.add(declarator, declarator.type_name or statement.type_name, owner)

    def add(self, declarator: Declarator, type_name: str, owner: str | None) -> None:
        dims = "".join(f"[{dim or ''}]" for dim in declarator.dims)
        label = declarator.name if "(" in declarator.name else f"{type_name} {declarator.name}{dims}"
        self.arrays.append(Array(label, self.sizer(declarator, type_name), declarator.offset, owner))

    def members(self, open_: int, close: int) -> list[tuple[Declarator, str]]:
        found = []
        for start, end in self.layout.inner_statements(open_, close):
            statement = self.reader.parse(start, end)
            if statement is not None and statement.function is None:
                found += [(d, d.type_name or statement.type_name) for d in statement.declarators]
        return found

    def struct(self, name: str, start: int, open_: int, close: int) -> None:
        components, offset = 0, 0
        for declarator, type_name in self.members(open_, close):
            components += self.sizer(declarator, type_name)
            size, align = self.types.std140(type_name, self.elements(declarator) if declarator.dims else None)
            offset = -(-offset // align) * align + size
        self.types.structs[name] = (components, offset)
        self.skipped.append((open_, close))
        self.trailing(name, close, None)

    def block(self, name: str, uniform: bool, start: int, open_: int, close: int) -> None:
        offset = 0
        for declarator, type_name in self.members(open_, close):
            self.sizer(declarator, type_name)  # a size that cannot be worked out is refused
            size, align = self.types.std140(type_name, self.elements(declarator) if declarator.dims else None)
            offset = -(-offset // align) * align + size
        if uniform:
            first = open_ - len(self.code[start:open_].lstrip())  # the head's first word
            self.blocks.append(Block(name, -(-offset // 16) * 16, first))
        self.skipped.append((open_, close))
        self.parsed.add(close + 1)  # its instance name

    def trailing(self, type_name: str, close: int, owner: str | None) -> None:
        """Variables declared after a struct's closing brace: `struct S {...} s[4];`."""
        start, end = close + 1, self.layout.statement(close + 1)[1]
        self.parsed.add(start)
        statement = self.reader.parse(start, end, type_name=type_name)
        for declarator in statement.declarators if statement is not None else []:
            self.add(declarator, type_name, owner)


def _block_name(head: list[str], types: Types) -> str | None:
    """The block name of `[layout(...)] uniform|in|out|buffer NAME` (the tokens before `{`)."""
    index = 0
    while index < len(head):
        if head[index] == "layout":
            depth, index = 0, index + 1
            while index < len(head):
                depth += (head[index] == "(") - (head[index] == ")")
                index += 1
                if depth == 0:
                    break
        elif head[index] in QUALIFIERS:
            index += 1
        else:
            break
    rest = head[index:]
    qualifiers = set(head[:index]) & {"uniform", "in", "out", "buffer"}
    if qualifiers and len(rest) == 1 and (rest[0][0].isalpha() or rest[0][0] == "_") and not types.known(rest[0]):
        return rest[0]
    return None


def word_before(code: str, position: int) -> tuple[str, int]:
    """The identifier just before `position` (spaces skipped) and where it starts."""
    end = position
    while end > 0 and code[end - 1] in " \t\r\n":
        end -= 1
    start = end
    while start > 0 and (code[start - 1].isalnum() or code[start - 1] == "_"):
        start -= 1
    return code[start:end], start


def constructor(code: str, types: Types, position: int, statement_end: int) -> Declarator | None:
    """The array constructor `TYPE[n](...)` whose "[" is at `position`, as a declarator
    (named after its type); None when it is not one or initialises a declaration.
    Reads tokens only up to the constructor's closing parenthesis."""
    type_name, type_start = word_before(code, position)
    if not type_name or not types.known(type_name) or type_name == "void" or _after_assignment(code, type_start):
        return None
    tokens = TOKEN.finditer(code, position, statement_end)
    dims: list[str | None] = []
    token = next(tokens, None)
    while token is not None and token.group() == "[":
        close = _closing(tokens, "[", "]")
        if close is None:
            return None
        dims.append(code[token.end():close].strip() or None)
        token = next(tokens, None)
    if token is None or token.group() != "(":
        return None
    shown = "".join(f"[{dim or ''}]" for dim in dims)
    declarator = Declarator(f"{type_name}{shown}(...)", dims, position, type_name=type_name)
    if dims and dims[0] is None:
        declarator.initializer_count = _arguments(tokens)
    return declarator


def _after_assignment(code: str, position: int) -> bool:
    """`=` (not `==`, `<=`, ...) just before `position`, spaces skipped."""
    index = position
    while index > 0 and code[index - 1] in " \t\r\n":
        index -= 1
    return index > 0 and code[index - 1] == "=" and (index < 2 or code[index - 2] not in "=!<>+-*/%&|^")


def _closing(tokens, opener: str, closer: str) -> int | None:
    """Offset of the token closing an `opener` already read from `tokens`."""
    depth = 1
    for token in tokens:
        depth += (token.group() == opener) - (token.group() == closer)
        if depth == 0:
            return token.start()
    return None


def _arguments(tokens) -> int:
    """Arguments of a call whose "(" was just read from `tokens` (top-level commas + 1)."""
    depth, commas = 1, 0
    for token in tokens:
        text = token.group()
        depth += (text in ("(", "[", "{")) - (text in (")", "]", "}"))
        if depth == 0:
            break
        commas += depth == 1 and text == ","
    return commas + 1


def private_total(arrays: list[Array], bodies: list[tuple[int, int, str]], code: str) -> int:
    """Components of every array a pixel runs through: the globals, plus main's arrays
    with each function's counted once per call (calls are inlined), transitively."""
    local: Counter = Counter()
    for array in arrays:
        if array.owner is not None:
            local[array.owner] += array.components
    total = sum(array.components for array in arrays if array.owner is None)
    if not local:
        return total
    calls = _calls_reaching(set(local), bodies, code)
    cost: dict[str, int] = {}
    names = {name for _, _, name in bodies}
    for root in ["main"] if "main" in names else names:
        stack, entered = [root], set()
        while stack:
            name = stack[-1]
            if name in cost:
                stack.pop()
                continue
            pending = [callee for callee in calls.get(name, {}) if callee not in cost and callee not in entered]
            if name not in entered and pending:
                entered.add(name)
                stack.extend(pending)
                continue
            cost[name] = min(local[name] + sum(count * cost.get(callee, 0) for callee, count in
                                               calls.get(name, {}).items()), 1 << 40)
            stack.pop()
    entry = cost["main"] if "main" in cost else max(cost.values(), default=0)
    return min(total + entry, 1 << 40)


MAX_CALL_ROUNDS = 8
"""Rounds of looking for callers of functions with arrays before one pass over all names."""


def _calls_reaching(heavy: set[str], bodies: list[tuple[int, int, str]], code: str) -> dict[str, Counter]:
    """caller -> Counter(callee) for every call of a function with arrays (its own or
    its callees'); found round by round from those functions outwards."""
    calls: dict[str, Counter] = {}
    starts = [open_ for open_, _, _ in bodies]
    frontier, rounds = set(heavy), 0
    while frontier:
        rounds += 1
        if rounds > MAX_CALL_ROUNDS:
            frontier = {name for _, _, name in bodies} - heavy
        callers = set()
        for callee in frontier:
            for position in _calls_of(callee, code):
                index = bisect.bisect_right(starts, position) - 1
                if index < 0 or position > bodies[index][1]:
                    continue
                open_, close, name = bodies[index]
                if 0 <= code.find("{", open_, close) < position:  # not the function's own header
                    calls.setdefault(name, Counter())[callee] += 1
                    callers.add(name)
        heavy |= frontier
        frontier = set() if rounds > MAX_CALL_ROUNDS else callers - heavy
    return calls


def _calls_of(name: str, code: str):
    """Offsets of `name(` as a whole word (spaces allowed before the parenthesis)."""
    position = code.find(name)
    while position >= 0:
        end = position + len(name)
        before = code[position - 1] if position else " "
        if not (before.isalnum() or before == "_"):
            after = end
            while after < len(code) and code[after] in " \t\r\n":
                after += 1
            if after < len(code) and code[after] == "(" and not (code[end:end + 1].isalnum() or
                                                                  code[end:end + 1] == "_"):
                yield position
        position = code.find(name, end)
