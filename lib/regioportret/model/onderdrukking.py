"""One rule for DUO's suppressed cells: where a count of 1 to 4 is published as '<5'.

Every figure that sums DUO cells uses this module: a suppressed cell lies between
ONDERDRUKT_MIN and ONDERDRUKT_MAX, and enters an estimate as ONDERDRUKT_SCHATTING, the middle.
Counts on the pages are the known cells plus the number of suppressed cells (so no suppressed
cell can be worked back); a change or forecast computed from such sums uses the estimate and,
where suppression can move it, shows the range from the lowest to the highest possible value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ONDERDRUKT_MIN = 1
ONDERDRUKT_MAX = 4
ONDERDRUKT_SCHATTING = (ONDERDRUKT_MIN + ONDERDRUKT_MAX) / 2  # 2.5
REGEL = (f"een onderdrukte cel (<5) telt als {str(ONDERDRUKT_SCHATTING).replace('.', ',')}, het midden van "
         f"{ONDERDRUKT_MIN} tot en met {ONDERDRUKT_MAX}; de marge loopt van {ONDERDRUKT_MIN} tot {ONDERDRUKT_MAX} per cel")


def waarde(aantal, onderdrukt):
    """A cell's value for an estimate: the count, or the middle of 1-4 where it is suppressed."""
    a = pd.Series(aantal).astype("float64")
    return a.where(~pd.Series(onderdrukt).astype(bool).to_numpy(), ONDERDRUKT_SCHATTING).fillna(0.0)


def schatting(bekend, onderdrukt):
    """A sum's estimate from its known part and its number of suppressed cells."""
    return bekend + ONDERDRUKT_SCHATTING * onderdrukt


def verandering(bekend0, onderdrukt0, bekend1, onderdrukt1) -> tuple:
    """(estimate, lowest, highest) of the change from sum 0 to sum 1 (later / earlier - 1): the
    lowest has every suppressed cell of the later sum at 1 and of the earlier at 4, the highest
    the other way round. Works on numbers and on aligned Series; NaN where the earlier sum can
    be 0."""
    def deel(a, b):
        b = b.where(b > 0) if isinstance(b, pd.Series) else (b if b > 0 else np.nan)
        return a / b - 1

    return (deel(schatting(bekend1, onderdrukt1), schatting(bekend0, onderdrukt0)),
            deel(bekend1 + ONDERDRUKT_MIN * onderdrukt1, bekend0 + ONDERDRUKT_MAX * onderdrukt0),
            deel(bekend1 + ONDERDRUKT_MAX * onderdrukt1, bekend0 + ONDERDRUKT_MIN * onderdrukt0))
