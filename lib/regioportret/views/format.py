"""Dutch number formatting: thousands separator '.', decimal comma."""

from __future__ import annotations


def getal(n) -> str:
    if n is None:
        return "–"
    return f"{int(n):,}".replace(",", ".")


def procent(x, decimalen: int = 1) -> str:
    if x is None:
        return "–"
    return f"{100 * x:.{decimalen}f}%".replace(".", ",")
