"""Where each vestiging is: the official RIO education location at its address (DUO) when
the data has it, else an exact point from a school-points GeoJSON, else the centroid of its
4-digit postcode (GeoNames postal-code layout)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd

from ..errors import DataFout, Probleem

GEONAMES_KOLOMMEN = ["land", "postcode", "plaats", "provincie", "provinciecode", "gemeente",
                     "gemeentecode", "admin3", "admin3code", "lat", "lon"]


def is_puntenbestand(obj: dict) -> bool:
    """A GeoJSON FeatureCollection of Points carrying a 6-character vestigingscode."""
    if obj.get("type") != "FeatureCollection" or not obj.get("features"):
        return False
    f = obj["features"][0]
    props = f.get("properties") or {}
    return (f.get("geometry") or {}).get("type") == "Point" and (
        "vestigingscode" in props or "vestigingsnummer" in props)


def lees_punten(pad: Path, obj: dict | None = None) -> pd.DataFrame:
    """School points keyed by vestigingscode (the first point per code)."""
    pad = Path(pad)
    obj = obj if obj is not None else json.loads(pad.read_text(encoding="utf-8"))
    rijen = []
    for f in obj["features"]:
        p = f.get("properties") or {}
        code = str(p.get("vestigingscode") or p.get("vestigingsnummer") or "").strip().upper()
        geo = f.get("geometry") or {}
        if len(code) != 6 or geo.get("type") != "Point":
            continue
        lon, lat = geo["coordinates"][:2]
        rijen.append((code, float(lon), float(lat)))
    df = pd.DataFrame(rijen, columns=["vestigingscode", "lon", "lat"]).drop_duplicates("vestigingscode")
    df["bestand"] = pad.name
    return df


def is_geonames(pad: Path) -> bool:
    try:
        with open(pad, encoding="utf-8") as f:
            velden = f.readline().rstrip("\n").split("\t")
    except (UnicodeDecodeError, OSError):
        return False
    return len(velden) in (11, 12) and velden[0] == "NL" and velden[1][:4].isdigit()


def lees_pc4(pad: Path) -> pd.DataFrame:
    """One row per postcode and place: pc4, plaats, gemeente, lat, lon. A PC4 that covers several
    places is listed once per place; `koppel` takes their mean, the example indeling the names."""
    pad = Path(pad)
    df = pd.read_csv(pad, sep="\t", header=None, dtype=str, keep_default_na=False)
    if df.shape[1] not in (11, 12):
        raise DataFout(pad, f"{df.shape[1]} kolommen", verwacht="11 of 12 tab-gescheiden kolommen (GeoNames-postcodes)")
    df = df.iloc[:, :11]
    df.columns = GEONAMES_KOLOMMEN
    for k in ("lat", "lon"):
        getal = pd.to_numeric(df[k], errors="coerce")
        if getal.isna().any():
            i = int(getal.isna().to_numpy().nonzero()[0][0])
            raise DataFout(pad, [Probleem(regel=i + 1, kolom=k, melding=f"geen getal: '{df[k].iloc[i]}'")],
                           verwacht="decimale graden (WGS84)")
        df[k] = getal
    df["pc4"] = df["postcode"].str[:4]
    return df[["pc4", "plaats", "gemeente", "lat", "lon"]]


def _adres(postcode: pd.Series, huisnummer: pd.Series) -> pd.Series:
    """An address key: the postcode without spaces and the house number's digits ('12-A' -> 12)."""
    return (postcode.fillna("").astype(str).str.replace(" ", "", regex=False).str.upper() + "|"
            + huisnummer.fillna("").astype(str).str.extract(r"^\s*(\d+)", expand=False).fillna(""))


def koppel(vestigingen: pd.DataFrame, punten: list[pd.DataFrame], pc4: pd.DataFrame | None,
           rio: pd.DataFrame | None = None) -> tuple[pd.DataFrame, list[str]]:
    """One point per vestiging: RIO's location at its address (postcode and house number) first,
    then an exact point from a points file, then its PC4 centroid. `bron` says which
    ('rio', 'punt', 'pc4'); the map names RIO when it placed any school.

    `vestigingen` needs vestigingscode and postcode (may be empty for codes only seen in
    student files), and huisnummer for RIO. Returns the located table and the codes that got
    no point.
    """
    gezocht = vestigingen[["vestigingscode", "postcode"]].drop_duplicates("vestigingscode")
    # Several point files: the one with the most points wins for a code found in both.
    alle = sorted(punten, key=len)
    exact = pd.concat(alle, ignore_index=True).drop_duplicates("vestigingscode", keep="last") if alle else \
        pd.DataFrame(columns=["vestigingscode", "lon", "lat", "bestand"])
    uit = gezocht.merge(exact, on="vestigingscode", how="left")
    uit["bron"] = pd.Series("punt", index=uit.index).where(uit["lon"].notna(), "")
    if rio is not None and len(rio) and "huisnummer" in vestigingen:
        # an address with several RIO locations: their mean (one building, several entrances)
        plek = rio.assign(adres=_adres(rio["postcode"], rio["huisnummer"])).groupby("adres").agg(
            lat=("lat", "mean"), lon=("lon", "mean"), bestand=("bron", "first"))
        adres = _adres(vestigingen.drop_duplicates("vestigingscode").set_index("vestigingscode")["postcode"],
                       vestigingen.drop_duplicates("vestigingscode").set_index("vestigingscode")["huisnummer"])
        gevonden = adres.reindex(uit["vestigingscode"]).map(plek["lat"]).notna().to_numpy()
        sleutel = adres.reindex(uit["vestigingscode"]).to_numpy()
        for k in ("lat", "lon", "bestand"):
            uit.loc[gevonden, k] = plek.loc[sleutel[gevonden], k].to_numpy()
        uit.loc[gevonden, "bron"] = "rio"
    if pc4 is not None:
        pc4 = pc4.groupby("pc4", as_index=False)[["lat", "lon"]].mean()
        zonder = uit["lon"].isna()
        pc = uit.loc[zonder, ["postcode"]].assign(pc4=lambda d: d["postcode"].str[:4]).merge(
            pc4, on="pc4", how="left").set_index(uit.index[zonder])
        uit.loc[zonder, "lon"] = pc["lon"]
        uit.loc[zonder, "lat"] = pc["lat"]
        uit.loc[zonder & uit["lon"].notna(), "bron"] = "pc4"
        uit.loc[zonder & uit["lon"].notna(), "bestand"] = "pc4"
    ontbreekt = sorted(uit.loc[uit["lon"].isna(), "vestigingscode"])
    if ontbreekt:
        warnings.warn(f"{len(ontbreekt)} vestigingen zonder locatie (geen punt en geen bekende postcode): "
                      + ", ".join(ontbreekt), stacklevel=2)
    from .schemas import LOCATIES

    return LOCATIES.validate(uit[uit["lon"].notna()].drop(columns=["postcode"]).reset_index(drop=True)), ontbreekt
