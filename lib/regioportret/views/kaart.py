"""The map's layer data (GeoJSON dicts), computed once per dataset and indeling and cached on
disk, so a fresh kernel paints the map without redoing the geometry."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import pandas as pd
import shapely
from shapely.geometry import mapping

from .. import rules
from ..model.gebieden import AFRONDING, als_geojson, grens_van, regio_gebieden
from ..store import cachemap

KLEUR_TECHNIEK = "#d9480f"
KLEUR_OVERIG = "#495057"
VERSIE = 2


@dataclass
class Kaartlagen:
    gemeenten: dict | None
    regios: dict
    labels: list[dict]  # regionummer, regionaam, lat, lon
    grenzen: dict[int, list[list[float]]]  # regionummer -> [[south, west], [north, east]]
    totaal: list[list[float]]


def _gemeenten_geojson(gemeenten) -> dict | None:
    if gemeenten is None:
        return None
    features = []
    for code, naam, geom in zip(gemeenten["statcode"], gemeenten["statnaam"], gemeenten.geometry, strict=True):
        g = shapely.set_precision(shapely.simplify(geom, 0.001), 10 ** -AFRONDING)
        features.append({"type": "Feature", "properties": {"statcode": code, "statnaam": naam}, "geometry": mapping(g)})
    return {"type": "FeatureCollection", "features": features}


def _sleutel(ds, indeling) -> str:
    h = hashlib.sha256(f"{VERSIE}|{ds.map}|{ds.manifest['gebouwd']}".encode())
    h.update(pd.util.hash_pandas_object(indeling.tabel[["regionummer", "vestigingscode"]], index=False).values.tobytes())
    return h.hexdigest()[:16]


def kaartlagen(ds, indeling) -> Kaartlagen:
    pad = cachemap() / "kaart" / f"{_sleutel(ds, indeling)}.json"
    if pad.exists():
        d = json.loads(pad.read_text())
        d["grenzen"] = {int(k): v for k, v in d["grenzen"].items()}
        return Kaartlagen(**d)
    grens = grens_van(ds.gemeenten, ds.locaties)
    geb = regio_gebieden(ds.locaties, indeling.tabel, grens)
    grenzen = {}
    for nr, g in zip(geb["regionummer"], geb["geometry"], strict=True):
        w, s, e, n = g.bounds
        grenzen[int(nr)] = [[s, w], [n, e]]
    w, s, e, n = grens.bounds
    lagen = Kaartlagen(
        gemeenten=_gemeenten_geojson(ds.gemeenten),
        regios=als_geojson(geb),
        labels=[{"regionummer": int(r.regionummer), "regionaam": r.regionaam, "lat": r.label_lat, "lon": r.label_lon}
                for r in geb.itertuples()],
        grenzen=grenzen,
        totaal=[[s, w], [n, e]],
    )
    pad.parent.mkdir(parents=True, exist_ok=True)
    tmp = pad.with_suffix(".tmp")
    tmp.write_text(json.dumps(lagen.__dict__))
    tmp.replace(pad)
    return lagen


def scholen_geojson(basis_tabel: pd.DataFrame, locaties: pd.DataFrame) -> dict:
    """One point per vestiging with vmbo students in leerjaar 3-4; technical ones stand out."""
    tech = basis_tabel[basis_tabel["profiel"].isin(rules.TECHNISCHE_PROFIELEN)]["vestigingscode"].unique()
    v = basis_tabel.groupby("vestigingscode", as_index=False).agg(naam=("vestigingsnaam", "first"),
                                                                   regio=("regionummer", "first"))
    v = v.merge(locaties[["vestigingscode", "lon", "lat"]], on="vestigingscode", how="inner")
    features = []
    for r in v.itertuples():
        t = r.vestigingscode in tech
        features.append({
            "type": "Feature", "id": r.vestigingscode,
            "properties": {"code": r.vestigingscode, "naam": r.naam, "techniek": bool(t),
                           "regio": None if pd.isna(r.regio) else int(r.regio),
                           "style": {"fillColor": KLEUR_TECHNIEK if t else KLEUR_OVERIG, "radius": 5 if t else 3.5,
                                     "color": "#ffffff", "weight": 1, "fillOpacity": 0.95}},
            "geometry": {"type": "Point", "coordinates": [round(r.lon, 5), round(r.lat, 5)]},
        })
    return {"type": "FeatureCollection", "features": features}
