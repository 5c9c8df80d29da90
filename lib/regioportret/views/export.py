"""The exact student numbers of a selection written as XLSX (one sheet per table, a sources
sheet) or CSV; the sheets themselves come from model.aantallen."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pandas as pd

from ..format import getal
from ..formule import formulevrij, is_formule
from ..model.aantallen import KOLOM_BEKEND, KOLOM_ONDERDRUKT, ONDERDRUKT
from ..store import schrijf_atomair, schrijven_naar, vrije_uitvoermap, wissel_in

__all__ = ["KOLOM_BEKEND", "KOLOM_ONDERDRUKT", "ONDERDRUKT", "xlsx_bytes", "schrijf_xlsx", "schrijf_csv",
           "samenvatting"]


def xlsx_bytes(bladen: dict[str, pd.DataFrame], formaten: dict[str, dict[str, list[str | None]]] | None = None) -> bytes:
    """The workbook in memory (the dashboard offers it without writing to the server's disk).
    Every text cell is text: a name or a typed field starting with '=' never becomes a formula.
    Whole-number columns get a thousands format; `formaten` gives a column's cells one number
    format each (sheet -> column -> one format or None per row), for a column that mixes
    numbers, shares and text. Excel shows them in the reader's own locale (1.234 and 18,5% in
    Dutch)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as w:
        for naam, t in bladen.items():
            t.to_excel(w, sheet_name=naam, index=False)
            blad = w.sheets[naam]
            for rij in blad.iter_rows():
                for cel in rij:
                    if is_formule(cel.value):
                        cel.data_type = "s"
            blad.freeze_panes = "A2"
            for i, kolom in enumerate(t.columns, start=1):
                breedte = max([len(str(kolom))] + [len(str(x)) for x in t[kolom].head(200)])
                blad.column_dimensions[blad.cell(1, i).column_letter].width = min(max(10, breedte + 2), 70)
                if pd.api.types.is_integer_dtype(t[kolom]):
                    for cel in blad.iter_rows(min_row=2, min_col=i, max_col=i):
                        cel[0].number_format = "#,##0"
                for rij, formaat in enumerate((formaten or {}).get(naam, {}).get(kolom, []), start=2):
                    if formaat:
                        blad.cell(rij, i).number_format = formaat
    return buf.getvalue()


def schrijf_xlsx(bladen: dict[str, pd.DataFrame], pad: Path) -> Path:
    """Written next to the target and renamed: never a half workbook under its name."""
    return schrijf_atomair(Path(pad), xlsx_bytes(bladen))


def schrijf_csv(bladen: dict[str, pd.DataFrame], map_: Path, invoer=()) -> list[Path]:
    """One CSV per sheet in the folder `map_`, written next to it and swapped in whole; `map_`
    may not be or hold one of `invoer` (the data), nor hold files of anyone else."""
    map_ = vrije_uitvoermap(map_, "export --csv", invoer=invoer, optie="--csv")
    tmp = map_.parent / f".{map_.name}.csv-{os.getpid()}"
    namen = []
    try:
        with schrijven_naar(map_):  # a full disk or a read-only place: a write error naming --csv
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            for naam, t in bladen.items():
                namen.append(naam.lower().replace(" ", "-") + ".csv")
                t.map(formulevrij).to_csv(tmp / namen[-1], sep=";", index=False, encoding="utf-8")
            wissel_in(tmp, map_, "export --csv")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [map_ / n for n in namen]


def samenvatting(bladen: dict[str, pd.DataFrame]) -> str:
    c = bladen["Cellen"]
    return (f"{getal(len(c))} cellen, waarvan {getal(int((c['aantal'] == ONDERDRUKT).sum()))} onderdrukt (<5); "
            f"{getal(c['vestigingscode'].nunique())} vestigingen")
