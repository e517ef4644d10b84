"""The performer's parameter state: base values set live (editor, keys, later
MIDI and OSC) and modulation amounts, kept by name so they outlive one
`ModulationEngine`. After a hot reload the new engine gets them back."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from visualizer.params.engine import ModulationEngine
from visualizer.preset.modulation_spec import Modulation, Value

log = logging.getLogger(__name__)

Amount = float | tuple[float, float]


def modulation_names(modulations: Sequence[Modulation]) -> tuple[str, ...]:
    """A name per modulation that does not shift when others are added or
    removed: "param<-source", then "param<-source#2", ... for repeats."""
    seen: dict[str, int] = {}
    names = []
    for mod in modulations:
        base = f"{mod.param}<-{mod.source}"
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return tuple(names)


class ParamState:
    """Values by param name and amounts by modulation name, applied to `engine`
    as they are set and to every engine `attach`ed later."""

    def __init__(self, engine: ModulationEngine):
        self.values: dict[str, Value] = {}
        self.amounts: dict[str, Amount] = {}
        self.engine = engine

    def set(self, name: str, value: object) -> Value:
        """Set param `name`'s base; returns the typed value. KeyError for an
        unknown param, ValueError for a value that does not fit it (nothing kept)."""
        self.engine.set_base(name, value)
        self.values[name] = typed = self.engine.base(name)
        return typed

    def set_amount(self, index: int, amount: object) -> None:
        """Set the amount of the engine's modulation `index` (0-based, file
        order). IndexError for no such modulation, ValueError for a bad amount."""
        self.engine.set_amount(index, amount)
        name = modulation_names(self.engine.modulations)[index]
        self.amounts[name] = self.engine.modulations[index].amount

    def attach(self, engine: ModulationEngine) -> list[str]:
        """Make `engine` (a reloaded preset's) current and give it every kept
        value and amount it has a place for. Values that no longer fit are
        dropped; their messages are returned (and logged)."""
        self.engine = engine
        dropped = []
        params = {param.name for param in engine.params}
        for name, value in list(self.values.items()):
            if name in params:
                try:
                    engine.set_base(name, value)
                except ValueError as exc:
                    dropped.append(f'{name}: {exc}; back to the preset\'s value')
                    del self.values[name]
        indices = {name: index for index, name in enumerate(modulation_names(engine.modulations))}
        for name, amount in list(self.amounts.items()):
            if name in indices:
                try:
                    engine.set_amount(indices[name], amount)
                except ValueError as exc:
                    dropped.append(f"{name}: {exc}; back to the preset's amount")
                    del self.amounts[name]
        for message in dropped:
            log.warning(message)
        return dropped
