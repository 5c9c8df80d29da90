"""Map model: region areas from vestigingen, the computed view, the school layer."""

from __future__ import annotations

import itertools
import math

import pytest
import shapely
from shapely.geometry import Point

from regioportret import rules
from regioportret.context import Context, actieve_indeling
from regioportret.model.gebieden import grens_van, regio_gebieden
from regioportret.views.kaart import beeld, scholen_geojson


def _extent(centrum, zoom, breedte, hoogte):
    """The lat/lon box a Web Mercator map of this size shows (inverse of beeld)."""
    lat, lon = centrum
    schaal = 256 * 2**zoom
    dlon = breedte / schaal * 360
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    dy = hoogte / schaal * 2 * math.pi

    def lat_van(yy):
        return math.degrees(math.atan(math.sinh(yy)))

    return [[lat_van(y - dy / 2), lon - dlon / 2], [lat_van(y + dy / 2), lon + dlon / 2]]


@pytest.mark.parametrize("grenzen", [[[50.75, 3.36], [53.5, 7.22]], [[52.6, 6.7], [52.95, 7.1]],
                                     [[51.8, 4.4], [51.85, 4.5]]])
def test_beeld_bevat_de_grenzen_en_zoomt_maximaal(grenzen):
    centrum, zoom = beeld(grenzen, 800, 600, minimum=1, maximum=20)
    (s, w), (n, e) = _extent(centrum, zoom, 800, 600)
    assert s <= grenzen[0][0] and w <= grenzen[0][1] and n >= grenzen[1][0] and e >= grenzen[1][1]
    (s, w), (n, e) = _extent(centrum, zoom + 1, 800, 600)
    assert s > grenzen[0][0] or w > grenzen[0][1] or n < grenzen[1][0] or e < grenzen[1][1]


def test_regiogebieden_overlappen_niet_en_bevatten_hun_vestigingen(demo_ds):
    ind = actieve_indeling(demo_ds)
    geb = regio_gebieden(demo_ds.locaties, ind.tabel, grens_van(demo_ds.gemeenten, demo_ds.locaties))
    assert set(geb["regionummer"]) == set(ind.tabel["regionummer"])
    for a, b in itertools.combinations(geb["geometry"], 2):
        assert a.intersection(b).area < 1e-9
    loc = demo_ds.locaties.merge(ind.tabel, on="vestigingscode").set_index("vestigingscode")
    vlakken = dict(zip(geb["regionummer"], geb["geometry"], strict=True))
    for code, r in loc.iterrows():
        assert vlakken[r["regionummer"]].buffer(1e-6).contains(Point(r["lon"], r["lat"])), code
    # vestigingen outside every region keep their territory out of all regions
    buiten = demo_ds.locaties[~demo_ds.locaties["vestigingscode"].isin(ind.tabel["vestigingscode"])]
    alles = shapely.union_all(list(vlakken.values()))
    assert len(buiten) and not any(alles.contains(Point(x, y)) for x, y in zip(buiten["lon"], buiten["lat"], strict=True))


def test_kaartlagen_gecached_en_scholen_in_een_laag(demo_ds):
    from regioportret import store

    ind = actieve_indeling(demo_ds)
    eerste = Context(demo_ds, ind)
    a = eerste.kaartlagen
    assert (store.cachemap() / "kaart" / f"{eerste.sleutel}.pkl").is_file()
    b = Context(demo_ds, ind).kaartlagen  # a second context (another kernel): from the disk cache
    assert a.regios == b.regios and a.grenzen == b.grenzen
    assert {lab["regionummer"] for lab in a.labels} == set(ind.tabel["regionummer"])
    bs = eerste.basis
    gj = scholen_geojson(eerste.scholen)
    assert gj["type"] == "FeatureCollection"
    codes = {f["properties"]["code"] for f in gj["features"]}
    assert codes == set(bs.tabel["vestigingscode"]) & set(demo_ds.locaties["vestigingscode"])
    tech = set(bs.tabel.loc[bs.tabel["profiel"].isin(rules.TECHNISCHE_PROFIELEN), "vestigingscode"])
    assert {f["properties"]["code"] for f in gj["features"] if f["properties"]["techniek"]} == tech & codes
