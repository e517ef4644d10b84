"""Integer constant expressions of GLSL (array sizes) and its preprocessor (`#if`),
worked out without running anything.

Object-like macros are replaced token by token, as the preprocessor does
(`#define N 2+2` makes `N*3` eight); `const` names are looked up as values;
`int()`, `uint()` and `float()` convert. Anything else (a function call, a
function-like macro, `.length()`) is `Unknown`: the caller decides what an
unknown value means. Work is bounded: macro expansion by a token budget,
nesting by a depth limit, magnitudes by `TooBig`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Number = int | float
ValueOf = Callable[[str, int], "Number | None"]

MAX_TOKENS = 4096
"""Tokens one expression may grow to while its macros expand."""
MAX_DEPTH = 32
"""Parentheses, unary operators and `const` look-ups nested inside each other."""
LARGEST = 1 << 40
"""A value past this is `TooBig` (array sizes are 32-bit in GLSL anyway)."""

_TOKEN = re.compile(
    r"\s*+(?:(?P<number>0[xX][0-9A-Fa-f]++|\d++\.\d*+(?:[eE][-+]?\d++)?|\.\d++(?:[eE][-+]?\d++)?|\d++(?:[eE][-+]?\d++)?)"
    r"[uUfF]?|(?P<name>[A-Za-z_]\w*+)|(?P<op><<|>>|<=|>=|==|!=|&&|\|\||[-+*/%()<>!~&|^?:,]))"
)
_DEFINED = re.compile(r"\bdefined\s*+(?:\(\s*+([A-Za-z_]\w*+)\s*+\)|([A-Za-z_]\w*+))")
_BINARY = {"||": 1, "&&": 2, "|": 3, "^": 4, "&": 5, "==": 6, "!=": 6, "<": 7, ">": 7, "<=": 7, ">=": 7,
           "<<": 8, ">>": 8, "+": 9, "-": 9, "*": 10, "/": 10, "%": 10}
_CASTS = {"int": int, "uint": int, "float": float}


class Unknown(Exception):
    """The expression cannot be worked out statically."""


class TooBig(Unknown):
    """The expression is larger than `LARGEST` (or shifts past 62 bits)."""


def tokens(text: str) -> list[str]:
    """GLSL tokens of `text`; Unknown at anything that is not one."""
    found, position, end = [], 0, len(text.rstrip())
    while position < end:
        match = _TOKEN.match(text, position)
        if match is None:
            raise Unknown(f"cannot read {text[position:position + 10]!r}")
        found.append(match.group().strip())
        position = match.end()
        if len(found) > MAX_TOKENS:
            raise Unknown("the expression is too long")
    return found


def replace_defined(text: str, is_defined: Callable[[str], bool]) -> str:
    """`defined X` and `defined(X)` of an `#if` as 1 or 0, before macros expand."""
    return _DEFINED.sub(lambda m: "1" if is_defined(m.group(1) or m.group(2)) else "0", text)


def expand(found: list[str], macro: Callable[[str], str | None]) -> list[str]:
    """`found` with object-like macros replaced (`macro(name)` gives a body or None);
    a macro is not expanded inside its own expansion."""
    out: list[str] = []
    work: list[tuple[str, frozenset[str]]] = [(token, frozenset()) for token in reversed(found)]
    steps = 0
    while work:
        token, hidden = work.pop()
        is_name = token[0].isalpha() or token[0] == "_"
        body = macro(token) if is_name and token not in hidden else None
        if body is None:
            out.append(token)
        else:
            work.extend((inner, hidden | {token}) for inner in reversed(tokens(body)))
        steps += 1
        if steps > MAX_TOKENS or len(work) > MAX_TOKENS:
            raise Unknown("the macros grow past the token budget")
    return out


class _Parser:
    """Precedence climbing over expanded tokens, with C's integer rules."""

    def __init__(self, found: list[str], value_of: ValueOf, depth: int) -> None:
        self.found, self.index, self.depth = found, 0, depth
        self.value_of = value_of

    def peek(self) -> str | None:
        return self.found[self.index] if self.index < len(self.found) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise Unknown(f"expected {expected or 'more'}")
        self.index += 1
        return token

    def nested(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise Unknown("nested too deep")

    def ternary(self) -> Number:
        condition = self.binary(1)
        if self.peek() != "?":
            return condition
        self.take("?")
        self.nested()
        yes = self.ternary()
        self.take(":")
        no = self.ternary()
        self.depth -= 1
        return yes if condition else no

    def binary(self, lowest: int) -> Number:
        left = self.unary()
        while (op := self.peek()) in _BINARY and _BINARY[op] >= lowest:
            self.take()
            left = _apply(op, left, self.binary(_BINARY[op] + 1))
        return left

    def unary(self) -> Number:
        token = self.peek()
        if token in ("-", "+", "!", "~"):
            self.take()
            self.nested()
            value = self.unary()
            self.depth -= 1
            return _checked({"-": -value, "+": value, "!": int(not value), "~": ~int(value)}[token])
        return self.primary()

    def primary(self) -> Number:
        token = self.take()
        if token == "(" or token in _CASTS:
            if token in _CASTS:
                self.take("(")
            self.nested()
            value = self.ternary()
            self.depth -= 1
            self.take(")")
            return _checked(_CASTS[token](value)) if token in _CASTS else value
        if token[0].isdigit() or token[0] == ".":
            return _number(token)
        if token in ("true", "false"):
            return int(token == "true")
        if token[0].isalpha() or token[0] == "_":
            value = self.value_of(token, self.depth + 1)
            if value is not None:
                return value
        raise Unknown(f"{token} is not a constant here")


def _number(token: str) -> Number:
    text = token.rstrip("uUfF") if not token.lower().startswith("0x") else token.rstrip("uU")
    if text.lower().startswith("0x"):
        return _checked(int(text, 16))
    if any(mark in text for mark in ".eE"):
        return _checked(float(text))
    if len(text) > 1 and text.startswith("0"):
        try:
            return _checked(int(text, 8))
        except ValueError as exc:
            raise Unknown(f"{token} is not an octal number") from exc
    if len(text) > 13:
        raise TooBig(token)
    return _checked(int(text))


def _checked(value: Number) -> Number:
    if isinstance(value, float) and value != value:
        raise Unknown("not a number")
    if abs(value) > LARGEST:
        raise TooBig(str(value))
    return value


def _apply(op: str, left: Number, right: Number) -> Number:
    if op in ("/", "%"):
        if right == 0:
            raise Unknown("division by zero")
        if isinstance(left, int) and isinstance(right, int):
            quotient = abs(left) // abs(right) * (1 if (left < 0) == (right < 0) else -1)
            return quotient if op == "/" else left - quotient * right
        return _checked(left / right if op == "/" else left % right)
    if op in ("<<", ">>"):
        if not 0 <= right <= 62:
            raise TooBig(f"a shift by {right}")
        return _checked(int(left) << int(right) if op == "<<" else int(left) >> int(right))
    logic = {"||": lambda: int(bool(left) or bool(right)), "&&": lambda: int(bool(left) and bool(right)),
             "|": lambda: int(left) | int(right), "^": lambda: int(left) ^ int(right),
             "&": lambda: int(left) & int(right), "==": lambda: int(left == right),
             "!=": lambda: int(left != right), "<": lambda: int(left < right), ">": lambda: int(left > right),
             "<=": lambda: int(left <= right), ">=": lambda: int(left >= right),
             "+": lambda: left + right, "-": lambda: left - right, "*": lambda: left * right}
    return _checked(logic[op]())


def evaluate(text: str, macro: Callable[[str], str | None],
             value_of: ValueOf = lambda name, depth: None, depth: int = 0) -> Number:
    """The value of constant expression `text`; Unknown (or TooBig) when it has none here.

    `value_of(name, depth)` looks a constant up (evaluating its own expression at
    `depth`, so nesting through constants counts against MAX_DEPTH too)."""
    if depth > MAX_DEPTH:
        raise Unknown("nested too deep")
    parser = _Parser(expand(tokens(text), macro), value_of, depth)
    value = parser.ternary()
    if parser.peek() is not None:
        raise Unknown(f"unexpected {parser.peek()}")
    return value
