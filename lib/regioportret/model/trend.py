"""Series over the years in the data: the trend panels and the forecast build on these."""

from __future__ import annotations

import pandas as pd


def examenkandidaten_per_sector(examens: pd.DataFrame, vestigingen: list[str] | None = None) -> pd.DataFrame:
    """vmbo exam candidates per school year (rows) and sector (columns); known counts only.

    The column `onderdrukt` counts the suppressed cells left out of each year's sums.
    """
    e = examens[examens["onderwijstype"].str.upper().str.startswith("VMBO")]
    if vestigingen is not None:
        e = e[e["vestigingscode"].isin(vestigingen)]
    t = e.pivot_table(index="schooljaar", columns="sector", values="kandidaten", aggfunc="sum", fill_value=0)
    t = t.astype("int64")
    t["onderdrukt"] = e.groupby("schooljaar")["kandidaten_onderdrukt"].sum().reindex(t.index, fill_value=0)
    t.columns.name = None
    return t
