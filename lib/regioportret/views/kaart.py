"""The map as ipyleaflet draws it: base map, zoom, and the school dots as one GeoJSON layer.
The layers' data (model.gebieden.Kaartlagen) comes from the context, computed once."""

from __future__ import annotations

import pandas as pd

from ..model.gebieden import Kaartlagen
from . import palet


def scholen_geojson(scholen: pd.DataFrame) -> dict:
    """One point per deelnemende vestiging (model.gebieden.scholen); technical ones stand out."""
    features = []
    for r in scholen.itertuples():
        t = bool(r.techniek)
        features.append({
            "type": "Feature", "id": r.vestigingscode,
            "properties": {"code": r.vestigingscode, "naam": r.naam, "techniek": t,
                           "regio": None if pd.isna(r.regio) else int(r.regio),
                           "style": {"fillColor": palet.KAART_TECHNIEK if t else palet.KAART_OVERIG, "radius": 5 if t else 3.5,
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
                      style={"color": palet.GEMEENTE_RAND, "weight": 0.6, "fillColor": "#ffffff", "fillOpacity": 1}))
    m.add(ScaleControl(position="bottomleft", imperial=False))
    m.center, m.zoom = beeld(lagen.totaal)
    return m
