"""One guard against formula injection for every download (CSV and spreadsheet).

A text cell starting with one of FORMULETEKENS is run as a formula by spreadsheet programs. In
a workbook such a cell is written as text (views.export), in a CSV behind a "'" (formulevrij),
which the indeling reader takes off again (zonder_formulewacht). Imports nothing of the package,
so every layer, the sources included, can use it.
"""

from __future__ import annotations

FORMULETEKENS = ("=", "+", "-", "@", "\t", "\r")


def is_formule(x) -> bool:
    return isinstance(x, str) and x.startswith(FORMULETEKENS)


def formulevrij(x):
    """A CSV cell that no spreadsheet runs: text starting with a formula sign gets a "'" before it."""
    return "'" + x if is_formule(x) else x


def zonder_formulewacht(x: str) -> str:
    """Undo formulevrij on reading back a CSV this package wrote."""
    return x[1:] if isinstance(x, str) and x.startswith("'") and is_formule(x[1:]) else x
