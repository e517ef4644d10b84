"""A fragment shader's resource budget, checked on its assembled text before any
driver call: what would exhaust memory or crash the compiler is refused with
`file:line`, naming the user's file and line (`shader_source` line map).

Limits, per assembled pass (one fragment shader):

- Arrays: at most `MAX_PRIVATE_COMPONENTS` = 4096 scalar components (16 KiB;
  a vec4 counts 4) in all its arrays and structs, per pixel. A function's
  arrays count once per call (the compiler inlines each call). Measured on
  Mesa llvmpipe (LLVM 15): 16384 floats compile in 0.1 s, 16385 never finish
  (12 MB/s of memory growth; `float big[16777216]` passed 18 GB), and an array
  written in a loop compiles in time growing with its square (1000 floats 5 s,
  2000 floats 19 s); GPUs spill such arrays to scratch memory per thread.
  Shipped shaders use at most 12 (a palette, a blur's weights).
- Uniform arrays (outside blocks): at most `MAX_UNIFORM_COMPONENTS` = 4096
  components in all, what NVIDIA and Apple drivers give
  GL_MAX_FRAGMENT_UNIFORM_COMPONENTS (llvmpipe 16384; the GL 3.3 minimum is
  1024; the standard uniforms take about 70, their arrays 12). Past the
  driver's limit the link fails with its own message; this names the line.
- Uniform blocks: at most `MAX_UNIFORM_BLOCK_BYTES` = 16384 bytes each (std140,
  GL_MAX_UNIFORM_BLOCK_SIZE's guaranteed minimum; llvmpipe gives 65536).
- Macros: the code may expand to at most `MAX_EXPANDED_WORDS` words (a chain of
  `#define`s each repeating the last doubles per line).
- Statements: at most `MAX_STATEMENT_OPERATORS` operators in one statement:
  llvmpipe's compiler recurses once per operator of a chain and crashed the
  process (SIGSEGV) at 20000 (`1.0+1.0+...`, `v.xxxx.xxxx...`; 16000 compiled).

Array sizes may be literals, `#define`d macros or `const int` expressions; a
size that cannot be worked out here is refused, saying so. Counting is
conservative: code in an `#if` whose condition cannot be worked out counts.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Callable

from visualizer.errors import ShaderBudgetError
from visualizer.printable import printable
from visualizer.render.budget_scope import Scope, constructor, private_total
from visualizer.render.glsl_const import LARGEST, Number, TooBig, Unknown, evaluate
from visualizer.render.glsl_decl import Declarator, StatementReader, Types
from visualizer.render.glsl_scan import Preprocessed, expansion_size, preprocess
from visualizer.render.shader_layout import Layout

MAX_PRIVATE_COMPONENTS = 4096
MAX_UNIFORM_COMPONENTS = 4096
MAX_UNIFORM_BLOCK_BYTES = 16384
MAX_EXPANDED_WORDS = 1_000_000
MAX_STATEMENT_OPERATORS = 4096
_OPERATORS = re.compile(r"[-+*/%<>&|^?]|\.(?=\s*+[A-Za-z_])")
"""Operators, and `.` before a field or swizzle (a chain `v.xxxx.xxxx...` nests as deep)."""
_PASSED: dict[str, None] = {}
"""Hashes of assembled texts within budget (most recent last): reloads skip them."""
_PASSED_KEPT = 512


def check_budget(source) -> None:
    """ShaderBudgetError (one line, `file:line: ...`) when assembled `source`
    (a `shader_source.ShaderSource`) is over any budget above."""
    key = hashlib.sha1(source.text.encode("utf-8", "surrogatepass")).hexdigest()
    if key in _PASSED:
        return
    pre = preprocess(source.text)
    words, heaviest = expansion_size(pre)
    if words > MAX_EXPANDED_WORDS:
        name = f" ({printable(heaviest.name)} is the largest)" if heaviest is not None else ""
        raise ShaderBudgetError(f"{_where(source, pre.code, heaviest.offset if heaviest else 0)}: the macros"
                                f" expand to more than {MAX_EXPANDED_WORDS} words{name}; a #define that"
                                " repeats another doubles per line: write the code out or use a function")
    layout = Layout(pre.code)
    _check_statements(pre, layout, source)
    _Budget(pre, layout, source).check()
    _PASSED[key] = None
    while len(_PASSED) > _PASSED_KEPT:
        del _PASSED[next(iter(_PASSED))]


def _where(source, code: str, offset: int) -> str:
    """`file:line` of `offset` in the assembled code, through the line map."""
    line = code.count("\n", 0, offset) + 1
    origin = source.locate(line)
    return f"{printable(origin.file)}:{origin.line}" if origin is not None else f"<assembled>:{line}"


def _check_statements(pre: Preprocessed, layout: Layout, source) -> None:
    """No statement (nor macro body) with more operators than MAX_STATEMENT_OPERATORS."""
    texts = [(start, pre.code[start:end]) for start, end in layout.long_statements(MAX_STATEMENT_OPERATORS)]
    texts += [(macro.offset, macro.body) for macro in pre.macros().values()
              if len(macro.body) > MAX_STATEMENT_OPERATORS]
    for offset, text in texts:
        count = len(_OPERATORS.findall(text))
        if count > MAX_STATEMENT_OPERATORS:
            start = offset + len(text) - len(text.lstrip())
            raise ShaderBudgetError(f"{_where(source, pre.code, start)}: one statement holds {count} operators;"
                                    f" at most {MAX_STATEMENT_OPERATORS} (the GL compiler's stack overflows on"
                                    " long chains): split it, or loop")


class _Budget:
    """Walks the declarations of one preprocessed shader and sums what they take."""

    def __init__(self, pre: Preprocessed, layout: Layout, source) -> None:
        self.pre, self.layout, self.source, self.code = pre, layout, source, pre.code
        self.types = Types()
        self.reader = StatementReader(self.code, self.types)
        self.consts: dict[str, list[tuple[int, str]]] | None = None  # read on first use
        self.scope = Scope(self.code, layout, self.types, self.size, self.count)
        self.uniforms: list[tuple[int, int]] = []  # (components, offset)

    def check(self) -> None:
        self.scope.read()
        self.declarations()
        self.report()

    def where(self, offset: int) -> str:
        return _where(self.source, self.code, offset)

    def owner(self, offset: int) -> str | None:
        """The function whose body (or header) holds `offset`, if any."""
        bodies = self.scope.bodies
        index = bisect.bisect_right(bodies, (offset, LARGEST, "")) - 1
        if index >= 0 and bodies[index][0] <= offset <= bodies[index][1]:
            return bodies[index][2]
        return None

    def collect_consts(self) -> dict[str, list[tuple[int, str]]]:
        """`const int|uint|float NAME = value` anywhere: array sizes may use them."""
        self.consts = {}
        for match in re.finditer(r"\bconst\b", self.code):
            start, end = self.layout.statement(match.start())
            statement = self.reader.parse(start, end)
            if statement is not None and statement.type_name in ("int", "uint", "float"):
                for declarator in statement.declarators:
                    if not declarator.dims and declarator.value:
                        self.consts.setdefault(declarator.name, []).append((declarator.offset, declarator.value))
        return self.consts

    def value_of(self, offset: int) -> Callable[[str, int], Number | None]:
        """`(name, depth) -> value` of the `const` scalars declared before `offset`."""
        def value(name: str, depth: int) -> Number | None:
            consts = self.consts if self.consts is not None else self.collect_consts()
            entries = consts.get(name, [])
            index = bisect.bisect_left(entries, (offset, "")) - 1
            if index < 0:
                return None
            const_offset, text = entries[index]
            return evaluate(text, self.pre.body_at(const_offset), self.value_of(const_offset), depth)
        return value

    def elements(self, declarator: Declarator) -> int:
        """Elements of `declarator` (1 when it is not an array); Unknown or TooBig."""
        total = 1
        for dim in declarator.dims:
            if dim is None:
                value: Number = declarator.initializer_count or 0
            else:
                value = evaluate(dim, self.pre.body_at(declarator.offset), self.value_of(declarator.offset))
            if isinstance(value, float):
                raise Unknown(f"{printable(dim or '')} is not an integer")
            total *= max(0, value)
            if total > LARGEST:
                raise TooBig(dim or "")
        return total

    def count(self, declarator: Declarator) -> int:
        """Elements of `declarator` (LARGEST when too big); ShaderBudgetError if its
        size cannot be worked out."""
        try:
            return self.elements(declarator)
        except TooBig:
            return LARGEST
        except Unknown as exc:
            dims = "".join(f"[{d or ''}]" for d in declarator.dims)
            raise ShaderBudgetError(
                f"{self.where(declarator.offset)}: cannot work out the size of"
                f" {printable(declarator.name + dims)[:80]} ({printable(str(exc))[:80]}); size arrays with a"
                " number, a #define or a const int") from exc

    def size(self, declarator: Declarator, type_name: str) -> int:
        """Scalar components `declarator` takes (see `count`)."""
        return min(self.count(declarator) * self.types.components(type_name), LARGEST)

    def declarations(self) -> None:
        """Every statement that may declare an array, a uniform or a struct variable."""
        positions = [m.start() for m in re.finditer(r"\[", self.code)]
        structs = [name for name, (components, _) in self.types.structs.items() if components]
        if structs:
            pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, structs)) + r")\b")
            positions += [m.start() for m in pattern.finditer(self.code)]
        skipped = sorted(self.scope.skipped)
        for position in sorted(positions):
            index = bisect.bisect_right(skipped, (position, LARGEST)) - 1
            if index < 0 or not skipped[index][0] <= position <= skipped[index][1]:
                self.visit(position)

    def visit(self, position: int) -> None:
        start, end = self.layout.statement(position)
        if self.code.startswith("[", position):
            found = constructor(self.code, self.types, position, end)
            if found is not None:
                self.add(found, found.type_name or "", self.owner(position))
        if start in self.scope.parsed:
            return
        self.scope.parsed.add(start)
        statement = self.reader.parse(start, end)
        if statement is None:
            return
        owner = self.owner(start)
        if statement.function is not None:
            if self.code.startswith("{", end) and owner == statement.function:
                self.scope.parameters(statement, owner)  # a prototype's parameters cost nothing
            return
        uniform = "uniform" in statement.qualifiers and owner is None
        for declarator in statement.declarators:
            type_name = declarator.type_name or statement.type_name
            if uniform:
                self.uniforms.append((self.size(declarator, type_name), declarator.offset))
            elif declarator.dims or type_name in self.types.structs:
                self.add(declarator, type_name, owner)

    def add(self, declarator: Declarator, type_name: str, owner: str | None) -> None:
        self.scope.add(declarator, type_name, owner)

    def report(self) -> None:
        arrays = self.scope.arrays
        total = private_total(arrays, self.scope.bodies, self.code)
        if total > MAX_PRIVATE_COMPONENTS and arrays:
            largest = max(arrays, key=lambda array: array.components)
            calls = ", a function's once per call" if any(array.owner for array in arrays) else ""
            together = "" if total == largest.components else f" ({total} in all{calls})"
            raise ShaderBudgetError(
                f"{self.where(largest.offset)}: {printable(largest.name)[:80]} takes {largest.components}"
                f" scalars per pixel{together}; a shader's arrays may take at most {MAX_PRIVATE_COMPONENTS}"
                " (16 KiB; llvmpipe stalls past 16384): make them smaller")
        uniform_total = sum(components for components, _ in self.uniforms)
        if uniform_total > MAX_UNIFORM_COMPONENTS:
            _, offset = max(self.uniforms)
            raise ShaderBudgetError(
                f"{self.where(offset)}: the uniform arrays take {uniform_total} components; at most"
                f" {MAX_UNIFORM_COMPONENTS} (what many GPUs give a fragment shader): make the largest smaller")
        for block in self.scope.blocks:
            if block.size > MAX_UNIFORM_BLOCK_BYTES:
                raise ShaderBudgetError(
                    f"{self.where(block.offset)}: uniform block {printable(block.name)} takes {block.size} bytes"
                    f" (std140); at most {MAX_UNIFORM_BLOCK_BYTES} (16 KiB, what every GL 3.3 driver takes)")
