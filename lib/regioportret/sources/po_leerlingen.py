"""DUO's primary-school pupils by age (the children who will enter vo), from DUO's portal:
- per vestiging, `brin6_leeftijd.csv` (dataset `poleeftijd-v2`):
  `INSTELLINGSCODE;VESTIGINGSCODE;TYPE_PO;PEILJAAR;LEEFTIJD;AANTAL_LEERLINGEN`;
- per gemeente, `gemeente_leeftijd.csv` (dataset `pogemeente`): `GEMEENTENUMMER;TYPE_PO;PEILJAAR;
  LEEFTIJD;AANTAL_LEERLINGEN` (the columns as ../shared's notes of what DUO publishes give them;
  the ones between are not read: see docs/data.md on what the fixture is based on).
One tidy table: gebied, soort, type_po, peiljaar, leeftijd, aantal (NaN where '<5'), onderdrukt.
PEILJAAR is the count of 1 October of that year; LEEFTIJD the age then.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataFout, Probleem
from ._csv import RuweTabel, lees_duo_csv, tellingen
from .common import VESTIGINGSCODE, Layout

VESTIGING = ("INSTELLINGSCODE", "VESTIGINGSCODE", "PEILJAAR", "LEEFTIJD", "AANTAL_LEERLINGEN")
GEMEENTE = ("GEMEENTENUMMER", "PEILJAAR", "LEEFTIJD", "AANTAL_LEERLINGEN")


def _getallen(raw: RuweTabel, kolom: str, verwacht: str, laag: int, hoog: int) -> np.ndarray:
    """A column of whole numbers (an age may carry a unit: '4 jaar'), each in [laag, hoog]."""
    s = raw.df[kolom].str.extract(r"^\s*(\d{1,4})", expand=False)
    n = pd.to_numeric(s, errors="coerce")
    fout = n.isna() | (n < laag) | (n > hoog)
    if fout.any():
        raise DataFout(raw.pad, [Probleem(raw.regel(i), kolom, f"geen {verwacht}: '{raw.df.at[i, kolom]}'")
                                 for i in n.index[fout]], verwacht=f"{verwacht} van {laag} tot en met {hoog}")
    return n.astype("int64").to_numpy()


def _uit(raw: RuweTabel, gebied, soort: str) -> pd.DataFrame:
    from .schemas import PO_LEERLINGEN

    aantal, onderdrukt = tellingen(raw, "AANTAL_LEERLINGEN")
    type_po = raw.df["TYPE_PO"].str.upper().str.strip() if "TYPE_PO" in raw.kolommen else ""
    return PO_LEERLINGEN.validate(pd.DataFrame({
        "gebied": gebied, "soort": soort, "type_po": type_po,
        "peiljaar": _getallen(raw, "PEILJAAR", "jaartal", 1990, 2100),
        "leeftijd": _getallen(raw, "LEEFTIJD", "leeftijd", 0, 30),
        "aantal": aantal, "onderdrukt": onderdrukt, "bron": raw.pad.name,
    }))


def lees_vestiging(pad: Path) -> pd.DataFrame:
    raw = lees_duo_csv(Path(pad), list(VESTIGING), scheiding=";,")
    inst, vest = raw.df["INSTELLINGSCODE"].str.upper(), raw.df["VESTIGINGSCODE"].str.upper()
    code = vest.where(vest.str.len() == 6, inst + vest.str.zfill(2))
    fout = ~code.str.match(VESTIGINGSCODE)
    if fout.any():
        raise DataFout(raw.pad, [Probleem(raw.regel(i), "VESTIGINGSCODE", f"ongeldige vestigingscode '{code[i]}'")
                                 for i in code.index[fout]], verwacht="4 tekens instelling en 2 cijfers vestiging")
    return _uit(raw, code.to_numpy(), "vestiging")


def lees_gemeente(pad: Path) -> pd.DataFrame:
    raw = lees_duo_csv(Path(pad), list(GEMEENTE), scheiding=";,")
    nummer = raw.df["GEMEENTENUMMER"].str.upper().str.replace("GM", "", regex=False).str.strip()
    fout = ~nummer.str.fullmatch(r"\d{1,4}")
    if fout.any():
        raise DataFout(raw.pad, [Probleem(raw.regel(i), "GEMEENTENUMMER",
                                          f"ongeldig gemeentenummer '{raw.df.at[i, 'GEMEENTENUMMER']}'")
                                 for i in nummer.index[fout]], verwacht="een CBS-gemeentenummer, bv. 363 of 0363")
    return _uit(raw, ("GM" + nummer.str.zfill(4)).to_numpy(), "gemeente")


LAYOUTS = [
    Layout("duo-po-vestiging-leeftijd", "po_leerlingen", "DUO leerlingen primair onderwijs per vestiging naar leeftijd",
           VESTIGING, lees_vestiging),
    Layout("duo-po-gemeente-leeftijd", "po_leerlingen", "DUO leerlingen primair onderwijs per gemeente naar leeftijd",
           GEMEENTE, lees_gemeente),
]
