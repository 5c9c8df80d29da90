"""The map's layer data (GeoJSON dicts), computed once per dataset and indeling and cached on
disk, so a fresh kernel paints the map without redoing the geometry."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass

import pandas as pd
import shapely
from shapely.geometry import mapping

from .. import rules
from ..model.gebieden import AFRONDING, als_geojson, grens_van, regio_gebieden
from ..store import cachemap, slot

KLEUR_TECHNIEK = "#d9480f"
KLEUR_OVERIG = "#495057"
VERSIE = 3


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
    """The layers, from the disk cache (computed and written there first when missing)."""
    pad = cachemap() / "kaart" / f"{_sleutel(ds, indeling)}.json"
    if not pad.exists():
        with slot(pad):  # concurrent kernels on a cold cache: one computes, the others wait
            if not pad.exists():
                _bereken(ds, indeling, pad)
    d = json.loads(pad.read_text())
    d["grenzen"] = {int(k): v for k, v in d["grenzen"].items()}
    return Kaartlagen(**d)


def _bereken(ds, indeling, pad) -> None:
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
    tmp = pad.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(lagen.__dict__))
    tmp.replace(pad)


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


def beeld(grenzen: list[list[float]], breedte: int = 800, hoogte: int = 600,
          minimum: int = 6, maximum: int = 13) -> tuple[tuple[float, float], int]:
    """Centre and zoom that show [[south, west], [north, east]] in a map of this many pixels.

    Computed here (Web Mercator, 256-pixel tiles) instead of with ipyleaflet's fit_bounds,
    which zooms step by step through round trips to the browser and goes wrong when the page
    is not yet shown (preheated kernels).
    """
    import math

    (s, w), (n, e) = grenzen

    def y(lat):
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    dx = max(e - w, 1e-6) / 360
    dy = max(y(n) - y(s), 1e-6) / (2 * math.pi)
    zoom = math.floor(min(math.log2(breedte / 256 / dx), math.log2(hoogte / 256 / dy)))
    midden_lat = math.degrees(math.atan(math.sinh((y(n) + y(s)) / 2)))
    return (midden_lat, (w + e) / 2), max(minimum, min(maximum, zoom))


def basiskaart(lagen: Kaartlagen, hoogte: str = "600px"):
    """A map without web tiles (it reads without internet): gemeente outlines, a scale, the
    whole country in view. Dashboard and region builder add their own layers."""
    import ipywidgets as w
    from ipyleaflet import GeoJSON, Map, ScaleControl

    m = Map(center=(52.15, 5.3), zoom=7, scroll_wheel_zoom=True, attribution_control=False,
            layout=w.Layout(height=hoogte, flex="1 1 auto"))
    m.clear()
    if lagen.gemeenten:
        m.add(GeoJSON(data=lagen.gemeenten, name="Gemeenten",
                      style={"color": "#9aa5b1", "weight": 0.6, "fillColor": "#ffffff", "fillOpacity": 1}))
    m.add(ScaleControl(position="bottomleft", imperial=False))
    m.center, m.zoom = beeld(lagen.totaal)
    return m
