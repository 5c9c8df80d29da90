"""Dutch numbers, percentages and euros: the one place every surface formats a figure.

Babel writes the separators ('1.234', '9,9%', '€ 1.234'); rounding is half up (what a reader
expects: 2,5 -> 3) and done here once, so the dashboard, the PDF, the site, the form and the
CLI print a figure identically. A share is printed with as many decimals as it takes to stay
on its own side of a threshold: 9,96% next to a 10% rule never prints as "10,0%".
"""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

LOCALE = "nl_NL"
LEEG = "–"


def _leeg(x) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return str(x) in ("<NA>", "nan", "")


def afgerond(x, decimalen: int = 0) -> Decimal:
    """`x` rounded half up (not to even, not truncated), as Decimal; -0 becomes 0."""
    d = Decimal(str(float(x))).quantize(Decimal(1).scaleb(-decimalen), rounding=ROUND_HALF_UP)
    return d + 0  # normalises -0


def heel(x) -> int | None:
    """A count as a whole number, rounded half up (None stays None): how the model rounds a
    forecast once, so every surface shows the same whole students."""
    return None if _leeg(x) else int(afgerond(x))


def getal(n, decimalen: int = 0) -> str:
    """1234.5 -> '1.235'; 99.7 -> '100'; with decimalen=1: 3.25 -> '3,3'."""
    if _leeg(n):
        return LEEG
    patroon = "#,##0" + ("." + "0" * decimalen if decimalen else "")
    return format_decimal(afgerond(n, decimalen), format=patroon, locale=LOCALE)


def procent(x, decimalen: int = 1, drempel: float | None = None) -> str:
    """0.1137 -> '11,4%'. With `drempel` (a fraction): extra decimals, up to four, until the
    printed value lies on the same side of the threshold as `x` itself (past that, rounded
    away from the threshold)."""
    if _leeg(x):
        return LEEG
    x = float(x)
    if drempel is None:
        return getal(100 * x, decimalen) + "%"
    for d in range(decimalen, decimalen + 5):
        geprint = afgerond(100 * x, d)
        if (float(geprint) / 100 < drempel) == (x < drempel):
            break
    else:  # closer to the threshold than the decimals show: round away from it, never onto it
        geprint = Decimal(str(100 * x)).quantize(Decimal(1).scaleb(-d),
                                                 rounding=ROUND_FLOOR if x < drempel else ROUND_CEILING)
    return format_decimal(geprint, format="#,##0." + "0" * d, locale=LOCALE) + "%"


def aandeel(x) -> str:
    """A technical share, next to the techniekarm threshold (rules.TECHNIEKARM_DREMPEL)."""
    from .rules import TECHNIEKARM_DREMPEL

    return procent(x, 1, drempel=TECHNIEKARM_DREMPEL)


def decimaal(x, decimalen: int = 2) -> str:
    """A ratio or factor: 0.876 -> '0,88'."""
    return getal(x, decimalen)


def verschil(n) -> str:
    """A change in a count: +12, −1.234 (a real minus sign) or 0."""
    if _leeg(n):
        return LEEG
    r = afgerond(n)  # the sign of what is printed: -0.4 is "0", not "−0"
    return ("+" if r > 0 else "−" if r < 0 else "") + getal(abs(r))


def procentpunt(x) -> str:
    """A change in a share: 0.004 -> '+0,4 procentpunt' (a real minus sign; 0 without a sign)."""
    if _leeg(x):
        return LEEG
    r = round(100 * float(x), 1)
    return ("+" if r > 0 else "−" if r < 0 else "") + getal(abs(r), 1) + " procentpunt"


def verandering(punt, laag=None, hoog=None) -> str:
    """A relative change with the range suppressed cells allow: '−14,4% (tussen −16,4% en
    −12,3%)'; the bare change where the range is one value or unknown. A real minus sign."""
    def teken(x):
        return procent(x).replace("-", "−")

    if _leeg(punt):
        return LEEG
    if _leeg(laag) or _leeg(hoog) or teken(laag) == teken(hoog):
        return teken(punt)
    return f"{teken(punt)} (tussen {teken(laag)} en {teken(hoog)})"


def km(x) -> str:
    """A distance: 4.25 -> '4,3 km' (one decimal, half up); '–' when there is none."""
    return "–" if _leeg(x) else f"{getal(x, 1)} km"


def prognosepunt(punt, onder=None, boven=None) -> str:
    """A forecast point with its band: '1.416 (1.399–1.448)', or '1.416' where there is no band."""
    if _leeg(onder) or _leeg(boven):
        return getal(punt)
    return f"{getal(punt)} ({getal(onder)}–{getal(boven)})"


def euro(x) -> str:
    """3078 -> '€ 3.078' (whole euros)."""
    return LEEG if _leeg(x) else "€ " + getal(x)
