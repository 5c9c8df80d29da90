"""DUO's own forecast of vo pupils per instelling, in its two layouts:
- wide, "Leerlingenprognose vo" (11-leerlingenprognose-vo-<van>-<tot>.csv): one row per
  instelling, one column per onderwijstype and year (`VMBO.2019`, `BRJ 2020`, ...);
- long, the `voprognoses` dataset of DUO's open data portal (`brin4_prognosesvo.csv`):
  `INSTELLINGSCODE;ONDERWIJSNIVEAU;JAAR;PROGNOSEAANTALLEN`, one row per instelling, level, year.

Read so that DUO's forecast can be scored with the same backtest as ours.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..errors import DataFout, Probleem
from ._csv import lees_duo_csv
from .common import Layout

ONDERWIJSTYPEN = ("BRJ", "VMBO", "HAVO", "VWO", "PRO", "VO", "TOTAAL")
_KOLOM = re.compile(r"^(" + "|".join(ONDERWIJSTYPEN) + r")[ ._\-]*((?:19|20)\d{2})$")
_INSTELLING = ("BRIN NUMMER", "INSTELLINGSCODE", "BRIN")


def jaarkolommen(kop: list[str]) -> dict[str, tuple[str, int]]:
    uit = {}
    for k in kop:
        m = _KOLOM.match(k.upper())
        if m:
            uit[k] = (m.group(1), int(m.group(2)))
    return uit


def _past(kop: list[str]) -> bool:
    return any(k in kop for k in _INSTELLING) and len(jaarkolommen(kop)) >= 2


def lees(pad: Path) -> pd.DataFrame:
    """Tidy: instellingscode, onderwijstype, jaar, aantal (a forecast may have decimals)."""
    from .schemas import DUOPROGNOSE

    raw = lees_duo_csv(Path(pad), [])
    inst_kolom = next(k for k in _INSTELLING if k in raw.kolommen)
    code = raw.df[inst_kolom].str.upper()
    fout = ~code.str.match(r"^[0-9A-Z]{4}$")
    if fout.any():
        raise DataFout(raw.pad, [Probleem(raw.regel(i), inst_kolom, f"ongeldige instellingscode '{code[i]}'")
                                 for i in code.index[fout]], verwacht="4 tekens, bv. 00AH")
    delen = []
    for kolom, (soort, jaar) in jaarkolommen(raw.kolommen).items():
        s = raw.df[kolom].str.replace(",", ".", regex=False)  # DUO writes decimals with a comma
        waarden = pd.to_numeric(s.replace("", "0"), errors="coerce")
        fout = waarden.isna() | (waarden < 0)
        if fout.any():
            raise DataFout(raw.pad, [Probleem(raw.regel(i), kolom, f"geen aantal: '{raw.df.at[i, kolom]}'")
                                     for i in waarden.index[fout]], verwacht="een aantal >= 0")
        delen.append(pd.DataFrame({"instellingscode": code, "onderwijstype": soort, "jaar": jaar,
                                   "aantal": waarden.astype("float64")}))
    uit = pd.concat(delen, ignore_index=True)
    uit = uit.groupby(["instellingscode", "onderwijstype", "jaar"], as_index=False)["aantal"].sum()
    uit["bron"] = Path(pad).name
    return DUOPROGNOSE.validate(uit)


LANG = ("INSTELLINGSCODE", "ONDERWIJSNIVEAU", "JAAR", "PROGNOSEAANTALLEN")


def onderwijstype(niveau: str) -> str:
    """A level as DUO names it in the long file ('VMBO', 'vmbo', 'Brugjaar 1-2', 'HAVO') -> the
    onderwijstype of the wide file ('VMBO', 'BRJ', 'HAVO', ...); unknown levels stay as written."""
    s = str(niveau).strip().upper()
    if s.startswith(("BRUG", "BRJ")):
        return "BRJ"
    return next((t for t in ONDERWIJSTYPEN if s.startswith(t)), s)


def lees_lang(pad: Path) -> pd.DataFrame:
    """The long layout, tidied like the wide one."""
    from .schemas import DUOPROGNOSE

    raw = lees_duo_csv(Path(pad), list(LANG))
    d = raw.df
    code = d["INSTELLINGSCODE"].str.upper().str.strip()
    jaar = pd.to_numeric(d["JAAR"], errors="coerce")
    aantal = pd.to_numeric(d["PROGNOSEAANTALLEN"].str.replace(",", ".", regex=False), errors="coerce")
    problemen = [Probleem(raw.regel(i), "INSTELLINGSCODE", f"ongeldige instellingscode '{code[i]}'")
                 for i in code.index[~code.str.match(r"^[0-9A-Z]{4}$")]]
    problemen += [Probleem(raw.regel(i), "JAAR", f"geen jaar: '{d.at[i, 'JAAR']}'")
                  for i in jaar.index[jaar.isna() | (jaar < 1900) | (jaar > 2100)]]
    problemen += [Probleem(raw.regel(i), "PROGNOSEAANTALLEN", f"geen aantal: '{d.at[i, 'PROGNOSEAANTALLEN']}'")
                  for i in aantal.index[aantal.isna() | (aantal < 0)]]
    if problemen:
        raise DataFout(raw.pad, problemen, verwacht="een instellingscode van 4 tekens, een jaartal en een aantal >= 0")
    uit = pd.DataFrame({"instellingscode": code, "onderwijstype": d["ONDERWIJSNIVEAU"].map(onderwijstype),
                        "jaar": jaar.astype("int64"), "aantal": aantal.astype("float64")})
    uit = uit.groupby(["instellingscode", "onderwijstype", "jaar"], as_index=False)["aantal"].sum()
    uit["bron"] = Path(pad).name
    return DUOPROGNOSE.validate(uit)


LAYOUTS = [Layout("duo-leerlingenprognose-vo", "duoprognose", "DUO Leerlingenprognose vo (per instelling)",
                  (), lees, extra=_past),
           Layout("duo-voprognoses", "duoprognose", "DUO prognose vo-leerlingen per instelling (voprognoses, lang)",
                  LANG, lees_lang)]
