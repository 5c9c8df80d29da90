"""RIO's education locations with their coordinates (`onderwijslocaties.csv`, dataset
`rio_nfo_po_vo_vavo_mbo_ho` on DUO's portal): the official place of every education location.

The file names no vestigingscode: a vestiging is matched by its address (postcode and house
number, sources.locaties.koppel). Columns read: POSTCODE, HUISNUMMER, GPS_LATITUDE, GPS_LONGITUDE
(and STRAATNAAM when present); public code that downloads this file matches it the same way
(docs/data.md). A location without coordinates is left out.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import DataFout, Probleem
from ._csv import lees_duo_csv
from .common import Layout

VERPLICHT = ("POSTCODE", "HUISNUMMER", "GPS_LATITUDE", "GPS_LONGITUDE")
BRON = "RIO (DUO), onderwijslocaties"


def _coordinaat(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.str.strip().str.replace(",", ".", regex=False).replace("", None), errors="coerce")


def lees(pad: Path) -> pd.DataFrame:
    from .schemas import RIO_LOCATIES

    raw = lees_duo_csv(Path(pad), list(VERPLICHT), scheiding=";,")
    d = raw.df
    postcode = d["POSTCODE"].str.replace(" ", "", regex=False).str.upper()
    lat, lon = _coordinaat(d["GPS_LATITUDE"]), _coordinaat(d["GPS_LONGITUDE"])
    leeg = (d["GPS_LATITUDE"].str.strip() == "") | (d["GPS_LONGITUDE"].str.strip() == "") | (postcode == "")
    problemen = []
    for kolom, w, laag, hoog in (("GPS_LATITUDE", lat, 50.5, 53.8), ("GPS_LONGITUDE", lon, 3.2, 7.3)):
        fout = ~leeg & (w.isna() | (w < laag) | (w > hoog))
        problemen += [Probleem(raw.regel(i), kolom, f"geen coördinaat in Nederland: '{d.at[i, kolom]}'")
                      for i in d.index[fout]]
    fout = ~leeg & ~postcode.str.fullmatch(r"\d{4}[A-Z]{2}")
    problemen += [Probleem(raw.regel(i), "POSTCODE", f"ongeldige postcode '{d.at[i, 'POSTCODE']}'") for i in d.index[fout]]
    if problemen:
        raise DataFout(raw.pad, problemen, verwacht="decimale graden (WGS84) en een postcode zoals 9711AB")
    houden = ~leeg
    straat = d["STRAATNAAM"] if "STRAATNAAM" in d else pd.Series("", index=d.index)
    return RIO_LOCATIES.validate(pd.DataFrame({
        "postcode": postcode[houden], "huisnummer": d.loc[houden, "HUISNUMMER"].str.strip(),
        "straat": straat[houden].str.strip(), "lat": lat[houden], "lon": lon[houden], "bron": raw.pad.name,
    }).reset_index(drop=True))


LAYOUTS = [Layout("rio-onderwijslocaties", "rio_locaties", "RIO onderwijslocaties met coördinaten (DUO)", VERPLICHT, lees)]
