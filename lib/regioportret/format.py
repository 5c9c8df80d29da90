"""Dutch number formatting: thousands separator '.', decimal comma; missing values as '–'."""

from __future__ import annotations

import math


def _leeg(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or str(x) in ("<NA>", "nan")


def getal(n) -> str:
    if _leeg(n):
        return "–"
    return f"{int(n):,}".replace(",", ".")


def procent(x, decimalen: int = 1) -> str:
    if _leeg(x):
        return "–"
    return f"{100 * x:.{decimalen}f}%".replace(".", ",")
