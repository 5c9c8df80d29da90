"""Map model: region areas from vestigingen, the computed view, the school layer."""

from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest
import shapely
from shapely.geometry import Point

from regioportret import rules
from regioportret.context import Context, actieve_indeling
from regioportret.model.gebieden import grens_van, regio_gebieden
from regioportret.views.kaart import Regionummers, Schoolstippen, beeld, scholen_geojson


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
    assert (store.cachemap() / "kaart" / f"{eerste.sleutel}.{store.CACHE_FORMAAT}.pkl").is_file()
    b = Context(demo_ds, ind).kaartlagen  # a second context (another kernel): from the disk cache
    assert a.regios == b.regios and a.grenzen == b.grenzen
    # the interactive map's gemeenten: one feature holding every gemeente's polygons
    (samen,) = b.gemeenten_samen["features"]
    delen = sum(1 if f["geometry"]["type"] == "Polygon" else len(f["geometry"]["coordinates"])
                for f in a.gemeenten["features"])
    assert samen["geometry"]["type"] == "MultiPolygon" and len(samen["geometry"]["coordinates"]) == delen
    assert {lab["regionummer"] for lab in a.labels} == set(ind.tabel["regionummer"])
    bs = eerste.basis
    gj = scholen_geojson(eerste.scholen)
    assert gj["type"] == "FeatureCollection"
    codes = {f["properties"]["code"] for f in gj["features"]}
    assert codes == set(bs.tabel["vestigingscode"]) & set(demo_ds.locaties["vestigingscode"])
    tech = set(bs.tabel.loc[bs.tabel["profiel"].isin(rules.TECHNISCHE_PROFIELEN), "vestigingscode"])
    assert {f["properties"]["code"] for f in gj["features"] if f["properties"]["techniek"]} == tech & codes


def _vormen_en_punten(ctx):
    from shapely.geometry import shape

    lagen = ctx.kaartlagen
    vlakken = {f["properties"]["regionummer"]: shape(f["geometry"]) for f in lagen.regios["features"]}
    vormen = {f["properties"]["regionummer"]: f["properties"]["vorm"] for f in lagen.regios["features"]}
    loc = ctx.ds.locaties.merge(ctx.indeling.tabel, on="vestigingscode")
    return vlakken, vormen, loc


def _elke_regio_precies_eigen_punten(vlakken, loc):
    for r in loc.itertuples():
        p = Point(r.lon, r.lat)
        assert vlakken[r.regionummer].contains(p), (r.vestigingscode, r.regionummer)
        assert not any(v.contains(p) for n, v in vlakken.items() if n != r.regionummer), r.vestigingscode
    for (a, va), (b, vb) in itertools.combinations(vlakken.items(), 2):  # on the GeoJSON's grid (robust overlay)
        assert shapely.intersection(va, vb, grid_size=1e-4).area < 1e-7, (a, b)


def test_schoolstippen_een_per_school_en_een_klik_opent_die_school(demo_ctx):
    """The dashboard's dots (one canvas in the page): every school once, at its place, technical or
    not as the school layer says; a click message opens that school at its own place, and a
    message that is not a click on a known dot (any client can send one) does nothing."""
    from ipyleaflet import Map

    geklikt = []
    stippen = Schoolstippen(Map(), demo_ctx.scholen, lambda *a: geklikt.append(a))
    sch = demo_ctx.scholen
    assert [p[0] for p in stippen.punten] == list(sch["vestigingscode"])
    gj = {f["properties"]["code"]: f for f in scholen_geojson(sch)["features"]}
    for code, lat, lon, techniek in stippen.punten:
        assert [lon, lat] == gj[code]["geometry"]["coordinates"] and techniek == gj[code]["properties"]["techniek"]
    r = sch.iloc[3]
    for vals in ({"klik": "ONBEKEND"}, {"klik": 12}, "geen dict", None, {"iets": r["vestigingscode"]}):
        stippen._bericht(vals)
    assert geklikt == []
    stippen._bericht({"klik": r["vestigingscode"], "lat": 0, "lon": 0})
    assert geklikt == [(r["vestigingscode"], round(r["lat"], 5), round(r["lon"], 5))]


def test_regionummers_per_zoom_en_een_klik_kiest_die_regio(demo_ctx):
    """The region numbers (one widget, markers made in the page): every region once with its name
    as title; per zoom the numbers the placement kept; a click message on a known number runs
    the callback, anything else (any client can send one) does nothing."""
    from ipyleaflet import Map
    from ipywidgets import HTML

    lagen, melding, geklikt = demo_ctx.kaartlagen, HTML(), []
    nummers = Regionummers(Map(), lagen, melding, geklikt.append)
    regios = dict(zip(demo_ctx.indeling.regios["regionummer"], demo_ctx.indeling.regios["regionaam"], strict=True))
    assert {lab["nummer"]: lab["titel"] for lab in nummers.labels} == {
        nr: f"regio {nr} – {naam}" for nr, naam in regios.items()}
    for zoom, nrs in lagen.labels_per_zoom.items():
        assert nummers.bij(zoom) == sorted(nrs)
    assert nummers.klikbaar and not Regionummers(Map(), lagen, melding).klikbaar
    nr = sorted(regios)[1]
    for vals in ({"klik": 9999}, {"klik": str(nr)}, {"klik": True}, "geen dict", None):
        nummers._bericht(vals)
    assert geklikt == []
    nummers._bericht({"klik": nr})
    assert geklikt == [nr] and melding.value == ""


@pytest.mark.parametrize("bron", ["demo", "echt"])
def test_regio_uit_gemeenten_is_de_vereniging_van_die_gemeenten(bron, request):
    from hulp import DEMO
    from regioportret.context import open_context
    from regioportret.model.indelen import gemeente_regios

    ctx = open_context(request.getfixturevalue("real_data") if bron == "echt" else DEMO)
    vlakken, vormen, loc = _vormen_en_punten(ctx)
    assert set(vormen.values()) == {"gemeenten"}  # nodale gebieden (and the demo's regions) are whole gemeenten
    g = ctx.ds.gemeenten
    per = gemeente_regios(ctx.indeling.tabel, ctx.ds.vestigingen, g)
    geoms = dict(zip(g["statcode"], shapely.make_valid(g.geometry.values), strict=True))
    for nr, vlak in vlakken.items():
        unie = shapely.union_all([geoms[c] for c in per.loc[per["regionummer"] == nr, "statcode"]])
        # simplified for the map (0.001 degrees) and a disc for a stray dot: 3% of the area at most
        assert vlak.symmetric_difference(unie).area < 0.03 * unie.area, nr
    _elke_regio_precies_eigen_punten(vlakken, loc)


def test_losse_vestigingen_krijgen_een_vorm_met_precies_hun_eigen_punten(tmp_path):
    """An indeling that splits gemeenten: regions of loose vestigingen (Voronoi territories)."""
    from hulp import DEMO
    from regioportret.context import open_context

    demo = open_context(DEMO)
    t = demo.indeling.tabel.sort_values("vestigingscode")
    # alternate the vestigingen of two neighbouring regions: their gemeenten are now split
    twee = t[t["regionummer"].isin([12, 14])].copy()
    twee["regionummer"] = [12 if i % 2 else 14 for i in range(len(twee))]
    twee["regionaam"] = twee["regionummer"].map({12: "Twaalf", 14: "Veertien"})
    rest = t[~t["regionummer"].isin([12, 14])]
    pad = tmp_path / "los.csv"
    pad.write_text("regionummer;regionaam;vestigingscode\n" + "".join(
        f"{r.regionummer};{r.regionaam};{r.vestigingscode}\n" for r in pd.concat([rest, twee]).itertuples()),
        encoding="utf-8")
    ctx = open_context(DEMO, indeling=pad)
    vlakken, vormen, loc = _vormen_en_punten(ctx)
    assert vormen[12] == vormen[14] == "vestigingen"
    assert "gemeenten" in set(vormen.values())
    _elke_regio_precies_eigen_punten(vlakken, loc)


def test_labels_per_zoom_overlappen_nooit():
    from regioportret.model.gebieden import (
        LABEL_HOOGTE,
        ZOOMS,
        _pixel,
        label_breedte,
        labels_per_zoom,
    )

    # a dense cluster and a few far away: zoomed out, the biggest region wins the crowded spot
    labels = [{"regionummer": n, "lat": 52.0 + 0.01 * (n % 5), "lon": 5.0 + 0.01 * (n // 5)} for n in range(1, 26)]
    labels += [{"regionummer": 100 + i, "lat": 50.8 + i, "lon": 3.5 + i} for i in range(3)]
    gewicht = {lab["regionummer"]: 1.0 for lab in labels} | {7: 9.0}
    per = labels_per_zoom(labels, gewicht)
    for z, nummers in per.items():
        dozen = []
        for lab in (x for x in labels if x["regionummer"] in nummers):
            x, y = _pixel(lab["lon"], lab["lat"], z)
            b = label_breedte(str(lab["regionummer"])) / 2
            dozen.append((x - b, y - LABEL_HOOGTE / 2, x + b, y + LABEL_HOOGTE / 2))
        for a, b in itertools.combinations(dozen, 2):
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], z
    assert 7 in per[min(ZOOMS)] and len(per[min(ZOOMS)]) < len(labels)
    assert len(per[max(ZOOMS)]) == len(labels)
    assert all(len(per[z]) <= len(per[z + 1]) for z in list(ZOOMS)[:-1])


def test_zoek_scholen_op_code_postcode_en_naam(demo_ctx):
    from regioportret.model.gebieden import zoek_scholen

    sch = demo_ctx.scholen
    r = sch.iloc[3]
    assert zoek_scholen(sch, r["vestigingscode"].lower()) == [r["vestigingscode"]]
    pc = r["postcode"]
    assert r["vestigingscode"] in zoek_scholen(sch, f"{pc[:4]} {pc[4:]}")
    woord = r["naam"].split()[-1]
    gevonden = zoek_scholen(sch, f"{woord} {r['plaats'].lower()}")
    assert r["vestigingscode"] in gevonden
    assert all(woord.lower() in sch.set_index("vestigingscode").loc[c, "naam"].lower() for c in gevonden)
    assert zoek_scholen(sch, "   ") == [] and zoek_scholen(sch, "xyzzy") == []


@pytest.mark.parametrize("bron", ["demo", "echt"])
def test_overzichtskaart_van_de_site_zonder_overlappende_nummers(bron, request):
    """The site's overview map places region numbers by the dashboard's rule: the drawn boxes
    never cover each other, and the largest region keeps its number."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.text import Annotation

    from hulp import DEMO
    from regioportret.context import open_context
    from regioportret.views import grafiek

    ctx = open_context(request.getfixturevalue("real_data") if bron == "echt" else DEMO)
    fig = grafiek.kaart(ctx.kaartlagen, ctx.scholen, [], None)
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    labels = [a for a in fig.axes[0].texts if isinstance(a, Annotation)]
    dozen = [a.get_window_extent(r) for a in labels]
    for i, a in enumerate(dozen):
        for b in dozen[i + 1:]:
            assert a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0, (a, b)
    getoond = {int(a.get_text()) for a in labels}
    assert ctx.kaartlagen.label_volgorde[0] in getoond and len(getoond) >= 5
    if bron == "echt":  # 80 regions on a small map: the rule leaves some numbers out
        assert len(getoond) < len(ctx.kaartlagen.labels)
    plt.close(fig)


def test_de_kaart_noemt_waar_de_punten_vandaan_komen():
    from dataclasses import replace

    from hulp import DEMO
    from regioportret.context import open_context
    from regioportret.views.kaart import BRON_GEBIEDEN, bronnen_html

    lagen = open_context(DEMO).kaartlagen
    assert lagen.locatiebronnen  # the demo's points: a points file and PC4 centroids
    assert bronnen_html(replace(lagen, locatiebronnen=["rio", "pc4"])).startswith(BRON_GEBIEDEN)
    assert "RIO onderwijslocaties (DUO" in bronnen_html(replace(lagen, locatiebronnen=["rio", "pc4"]))
    assert "RIO" not in bronnen_html(replace(lagen, locatiebronnen=["punt"]))
