"""CBS inhabitants by age: the optional population input of the forecast.

Two layouts are known (see ../shared/data/SOURCES.md for the public copies):
- per gemeente, one column per 10-year band (`Gemeentecode`, `0-9`, `10-19`, ...); Excel
  often turns the header `10-19` into `okt-19`, which is read as 10-19;
- per postcode, long (`postcode`, `leeftijd` in 5-year bands, `inwoners`), as CBS table
  83502NED "Bevolking en leeftijd per postcode"; postcode may be PC2, PC3 or PC4.
Both become one tidy table: gebied, soort, leeftijd_van, leeftijd_tot, inwoners, peiljaar.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..errors import DataFout, Probleem
from ._csv import RuweTabel, lees_duo_csv, tellingen
from .common import Layout

_BAND = re.compile(r"^(\d{1,3})\s*-\s*(\d{1,3})$|^(\d{1,3})\s*\+$")
_MAAND = {"JAN": 1, "FEB": 2, "MRT": 3, "MAR": 3, "APR": 4, "MEI": 5, "MAY": 5, "JUN": 6, "JUL": 7,
          "AUG": 8, "SEP": 9, "OKT": 10, "OCT": 10, "NOV": 11, "DEC": 12}
_JAAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")
MAX_LEEFTIJD = 120


def band(label: str) -> tuple[int, int] | None:
    """'10-19' -> (10, 19); '95+' -> (95, 120); Excel's 'okt-19' -> (10, 19); else None."""
    s = label.strip().upper()
    m = re.match(r"^([A-Z]{3})-(\d{1,3})$", s)
    if m and m.group(1) in _MAAND:
        s = f"{_MAAND[m.group(1)]}-{m.group(2)}"
    m = _BAND.match(s)
    if not m:
        return None
    if m.group(3):
        return int(m.group(3)), MAX_LEEFTIJD
    van, tot = int(m.group(1)), int(m.group(2))
    return (van, tot) if van <= tot else None


def _peiljaar(raw: RuweTabel) -> int | None:
    """The reference year, from a PEILJAAR/JAAR column or the file name; None when unknown."""
    for k in ("PEILJAAR", "JAAR", "PERIODEN"):
        if k in raw.kolommen:
            jaren = raw.df[k].str.extract(_JAAR)[0].dropna().unique()
            if len(jaren) == 1:
                return int(jaren[0])
    jaren = _JAAR.findall(raw.pad.stem)
    return int(jaren[-1]) if jaren else None


def _uit(gebied, soort, van, tot, inwoners, peiljaar, pad) -> pd.DataFrame:
    from .schemas import BEVOLKING

    return BEVOLKING.validate(pd.DataFrame({
        "gebied": gebied, "soort": soort, "leeftijd_van": van, "leeftijd_tot": tot,
        "inwoners": pd.array(inwoners, dtype="Float64").astype("Int64"),
        "peiljaar": pd.array([peiljaar] * len(gebied), dtype="Int64"), "bron": Path(pad).name,
    }))


def _banden_kop(kop: list[str]) -> bool:
    return sum(band(k) is not None for k in kop) >= 2


def lees_gemeente(pad: Path) -> pd.DataFrame:
    raw = lees_duo_csv(Path(pad), ["GEMEENTECODE"], scheiding=";,")
    banden = {k: band(k) for k in raw.kolommen if band(k) is not None}
    code = raw.df["GEMEENTECODE"].str.upper()
    code = code.where(code.str.startswith("GM"), "GM" + code.str.zfill(4))
    fout = ~code.str.match(r"^GM\d{4}$")
    if fout.any():
        raise DataFout(raw.pad, [Probleem(raw.regel(i), "GEMEENTECODE", f"ongeldige gemeentecode '{raw.df.at[i, 'GEMEENTECODE']}'")
                                 for i in code.index[fout]], verwacht="een CBS-gemeentecode zoals GM0363 of 0363")
    delen = []
    jaar = _peiljaar(raw)
    for kolom, (van, tot) in banden.items():
        waarden, _ = tellingen(raw, kolom)
        delen.append(_uit(code.to_numpy(), "gemeente", van, tot, waarden, jaar, pad))
    return pd.concat(delen, ignore_index=True)


def lees_postcode(pad: Path) -> pd.DataFrame:
    raw = lees_duo_csv(Path(pad), ["POSTCODE", "LEEFTIJD", "INWONERS"], scheiding=";,")
    df = raw.df
    banden = df["LEEFTIJD"].map(band)
    fout = banden.isna()
    if fout.any():
        raise DataFout(raw.pad, [Probleem(raw.regel(i), "LEEFTIJD", f"onbekende leeftijdsklasse '{df.at[i, 'LEEFTIJD']}'")
                                 for i in df.index[fout]], verwacht="een klasse zoals 10-14 of 95+")
    pc = df["POSTCODE"].str.replace(" ", "", regex=False).str.upper()
    fout = ~pc.str.match(r"^\d{2,4}$")
    if fout.any():
        raise DataFout(raw.pad, [Probleem(raw.regel(i), "POSTCODE", f"ongeldige postcode '{df.at[i, 'POSTCODE']}'")
                                 for i in df.index[fout]], verwacht="de cijfers van een postcode (PC2, PC3 of PC4)")
    waarden, _ = tellingen(raw, "INWONERS")  # empty = 0 would be wrong here: CBS leaves suppressed cells empty
    waarden[(df["INWONERS"] == "").to_numpy()] = float("nan")
    return _uit(pc.to_numpy(), "postcode", banden.str[0].to_numpy(), banden.str[1].to_numpy(), waarden,
                _peiljaar(raw), pad)


LAYOUTS = [
    Layout("cbs-bevolking-gemeente", "bevolking", "CBS inwoners per gemeente naar leeftijdsklasse",
           ("GEMEENTECODE",), lees_gemeente, extra=_banden_kop),
    Layout("cbs-bevolking-postcode", "bevolking", "CBS inwoners per postcode naar leeftijd (83502NED)",
           ("POSTCODE", "LEEFTIJD", "INWONERS"), lees_postcode),
]
