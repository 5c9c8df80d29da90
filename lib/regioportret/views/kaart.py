"""The map as ipyleaflet draws it: base map, zoom, region numbers, and the school dots on one
canvas. The layers' data (model.gebieden.Kaartlagen) comes from the context, computed once."""

from __future__ import annotations

import anywidget
import pandas as pd
import traitlets
from ipywidgets import widget_serialization

from ..model.gebieden import ZOOMS, Kaartlagen
from . import palet
from .sjabloon import profiel_naam, render

# A layer drawn only to show something (an outline, a drawn shape): clicks go through it to the
# dots below, also after Leaflet re-adds it on top when its data changes.
ONGEVOELIG = "rp-ongevoelig"
ARCERING = "rp-arcering"  # the SVG pattern of the ticked regions' fill
KAART_CSS = render("kaart.html", ongevoelig=ONGEVOELIG, arcering=ARCERING)
# The map's layers in panes, bottom to top: whatever a layer's data does (Leaflet re-adds a layer
# on top when its data changes), region fills and colourings stay under the selection, and the
# school dots stay above both, so a dot inside a ticked region remains clickable.
PANES = {"rp-vlakken": {"zIndex": 405}, "rp-selectie": {"zIndex": 410}, "rp-scholen": {"zIndex": 450},
         "rp-gekozen": {"zIndex": 460}}
SELECTIE_STIJL = {"color": palet.SELECTIE_RAND, "weight": 3, "fillColor": f"url(#{ARCERING})", "fillOpacity": 1}


# The regions' outlines as the dashboard and the builder draw them.
REGIO_STIJL = {"color": palet.REGIO_RAND, "weight": 1.4, "fillColor": palet.REGIO_VULLING, "fillOpacity": 0.18}
# A school dot, on every map that draws them: technical ones larger and in their own colour.
STIP = {"altijd": {"color": palet.WIT, "weight": 1, "fillOpacity": 0.95},
        "techniek": {"fillColor": palet.KAART_TECHNIEK, "radius": 5},
        "overig": {"fillColor": palet.KAART_OVERIG, "radius": 3.5}}
# Dots closer than this many pixels overlap (a chosen ring has radius 7, a dot up to 5).
STAPEL_PX = 10


def dicht_bij(punten: dict, lon: float, lat: float, zoom: float, px: float = STAPEL_PX) -> list[str]:
    """The codes of the points (code -> GeoJSON point feature) within `px` screen pixels of
    (lon, lat) at this zoom (Web Mercator, 256-pixel tiles): the dots a click there may mean."""
    import math

    meter_per_px = 156_543.03392 * math.cos(math.radians(lat)) / 2 ** zoom
    uit = []
    for code, f in punten.items():
        x, y = f["geometry"]["coordinates"]
        dx = math.radians(x - lon) * 6_371_000 * math.cos(math.radians(lat))
        dy = math.radians(y - lat) * 6_371_000
        if math.hypot(dx, dy) <= px * meter_per_px:
            uit.append(code)
    return sorted(uit)


# The page widgets below draw into a map that is another widget. Its views (one per place the
# map is shown) hold the Leaflet map; opDeKaart calls koppel(map) once for each, and the function
# koppel returns undoes it when the widget goes; opDeKaartWidget makes a widget's module of it. It looks often until a map is found, then seldom
# (a map shown again later, as in JupyterLab, gets its own view).
_OP_DE_KAART = """
function opDeKaart(model, koppel) {
  const gedaan = new WeakSet(), opruimen = [];
  let klok = null;
  const zoek = async () => {
    const kaartmodel = await model.widget_manager.get_model(model.get("kaart").replace(/^IPY_MODEL_/, ""));
    for (const v of Object.values(kaartmodel.views || {})) {
      const view = await v;
      if (view.obj && !gedaan.has(view.obj)) {
        gedaan.add(view.obj);
        opruimen.push(koppel(view.obj));
        clearInterval(klok);
        klok = setInterval(zoek, 2000);
      }
    }
  };
  klok = setInterval(zoek, 200);
  zoek();
  return () => { clearInterval(klok); opruimen.forEach((f) => f()); };
}

// The module of a page widget that takes no room and draws into the map: koppel(model, map, L).
const opDeKaartWidget = (koppel) => ({
  render({ model, el }) {
    el.style.display = "none";
    return opDeKaart(model, (kaart) => koppel(model, kaart, window.L));
  },
});
"""

# The school dots as one canvas in the dots' pane (Leaflet's own canvas renderer, Leaflet being
# in the page as window.L): one element instead of an SVG path per school, which made up half
# the page's elements and most of the browser's work to draw it. The canvas lets every pointer
# event through to the regions below; a click the map gets is first tested against the dots
# (on screen, radius plus a pixel), and a hit goes to the kernel instead of to the region.
# When a map has drawn its dots, its canvas says how many (data-rp-stippen).
_STIPPEN_ESM = _OP_DE_KAART + """
export default opDeKaartWidget((model, kaart, L) => {
  const stijl = model.get("stijl");
  const tekenaar = L.canvas({ pane: stijl.pane, padding: 0.5 });
  const stippen = model.get("punten").map(([code, lat, lon, techniek]) => {
    const s = techniek ? stijl.techniek : stijl.overig;
    const stip = L.circleMarker([lat, lon], { ...stijl.altijd, ...s, pane: stijl.pane, renderer: tekenaar,
                                              interactive: false });
    stip.rpCode = code;
    return stip;
  });
  const laag = L.layerGroup(stippen).addTo(kaart);
  const doek = tekenaar._container;
  doek.style.pointerEvents = "none";
  doek.classList.add("rp-stippen");
  const raak = (e) => {
    if (e.target.closest && e.target.closest(".leaflet-marker-icon, .leaflet-popup, .leaflet-control")) { return null; }
    const p = kaart.mouseEventToContainerPoint(e);
    for (let i = stippen.length - 1; i >= 0; i--) {
      const q = kaart.latLngToContainerPoint(stippen[i].getLatLng());
      if (p.distanceTo(q) <= stippen[i].options.radius + 1) { return stippen[i]; }
    }
    return null;
  };
  const container = kaart.getContainer();
  const klik = (e) => {
    const stip = raak(e);
    if (!stip) { return; }
    e.stopPropagation();
    model.send({ klik: stip.rpCode });
  };
  const wijs = (e) => { container.classList.toggle("rp-op-stip", !!raak(e)); };
  container.addEventListener("click", klik, true);
  container.addEventListener("mousemove", wijs, { passive: true });
  requestAnimationFrame(() => requestAnimationFrame(() => doek.setAttribute("data-rp-stippen", stippen.length)));
  return () => {
    container.removeEventListener("click", klik, true);
    container.removeEventListener("mousemove", wijs);
    kaart.removeLayer(laag);
  };
});
"""


class Kaartwidget(anywidget.AnyWidget):
    """A page widget that draws into a map (another widget, `kaart`) and takes no room itself;
    a message from the page goes to `_bericht`."""

    kaart = traitlets.Any().tag(sync=True, **widget_serialization)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.on_msg(lambda _widget, inhoud, _buffers: self._bericht(inhoud))

    def _bericht(self, inhoud) -> None:
        raise NotImplementedError


class Schoolstippen(Kaartwidget):
    """The school dots of one map (model.gebieden.scholen: one per deelnemende vestiging, the
    technical ones larger and in their own colour), drawn in the page on one canvas. Shown
    anywhere in the page (it takes no room); `op_klik(code, lat, lon)` runs on a click on a dot."""

    _esm = _STIPPEN_ESM
    punten = traitlets.List().tag(sync=True)  # [vestigingscode, lat, lon, technisch]
    stijl = traitlets.Dict().tag(sync=True)

    def __init__(self, kaart, scholen: pd.DataFrame, op_klik=None):
        super().__init__(kaart=kaart, punten=stippen(scholen), stijl={"pane": "rp-scholen", **STIP})
        self._op_klik = op_klik
        self._plek = {code: (lat, lon) for code, lat, lon, _ in self.punten}

    def _bericht(self, inhoud) -> None:
        """A click on a dot. Anything else (a message any client can send) is ignored, and the
        place is the dot's own, not what the message says."""
        code = inhoud.get("klik") if isinstance(inhoud, dict) else None
        if self._op_klik is not None and isinstance(code, str) and code in self._plek:
            self._op_klik(code, *self._plek[code])


def stippen(scholen: pd.DataFrame) -> list[list]:
    """The dots as the page draws them: code, latitude, longitude (5 decimals, about a metre)
    and whether the vestiging offers a technical profiel."""
    return [[r.vestigingscode, round(float(r.lat), 5), round(float(r.lon), 5), bool(r.techniek)]
            for r in scholen.itertuples()]


# The region numbers of one map, as Leaflet markers made in the page: one widget instead of a
# marker and an icon widget per region (160 widgets for 80 regions, each with its own messages
# between page and kernel), and the numbers that fit change with the zoom in the page, without
# a round trip. A click on a number (where the map wants one) goes to the kernel.
_NUMMERS_ESM = _OP_DE_KAART + """
export default opDeKaartWidget((model, kaart, L) => {
  const klikbaar = model.get("klikbaar");
  const markers = {};
  for (const lab of model.get("labels")) {
    const mk = L.marker([lab.lat, lab.lon], {
      keyboard: false, interactive: klikbaar, title: lab.titel,
      icon: L.divIcon({ html: lab.html, iconSize: [lab.breedte, lab.hoogte],
                        iconAnchor: [Math.floor(lab.breedte / 2), Math.floor(lab.hoogte / 2)] }) });
    if (klikbaar) { mk.on("click", () => model.send({ klik: lab.nummer })); }
    markers[lab.nummer] = mk;
  }
  const laag = L.layerGroup().addTo(kaart);
  const toon = () => {
    const per = model.get("per_zoom")[String(Math.round(kaart.getZoom()))];
    const nu = new Set(per || Object.keys(markers).map(Number));
    for (const [nr, mk] of Object.entries(markers)) {
      if (nu.has(Number(nr))) { laag.addLayer(mk); } else { laag.removeLayer(mk); }
    }
  };
  kaart.on("zoomend", toon);
  toon();
  return () => { kaart.off("zoomend", toon); kaart.removeLayer(laag); };
});
"""


class Regionummers(Kaartwidget):
    """One number per region on a map, only those that fit at its zoom (model.gebieden placed
    them per zoom so that none covers another): the dashboard and the builder draw them alike.
    Shown anywhere in the page (it takes no room). `op_klik(regionummer)`, when given, runs on a
    click on a number."""

    _esm = _NUMMERS_ESM
    labels = traitlets.List().tag(sync=True)
    per_zoom = traitlets.Dict().tag(sync=True)  # zoom -> the numbers shown there
    klikbaar = traitlets.Bool(False).tag(sync=True)

    def __init__(self, kaart, lagen: Kaartlagen, melding, op_klik=None):
        from .notebook import veilig

        super().__init__(kaart=kaart, klikbaar=op_klik is not None, labels=[{
            "nummer": int(lab["regionummer"]), "lat": lab["lat"], "lon": lab["lon"],
            "breedte": lab["breedte"], "hoogte": lab["hoogte"],
            "titel": f"regio {lab['regionummer']} – {lab['regionaam']}",
            "html": render("kaart.html", nummer=lab["regionummer"])} for lab in lagen.labels],
            per_zoom={str(z): [int(n) for n in nrs] for z, nrs in lagen.labels_per_zoom.items()})
        self.nummers = {lab["nummer"] for lab in self.labels}
        self._op_klik = None if op_klik is None else veilig(melding, op_klik)

    def bij(self, zoom) -> list[int]:
        """The numbers that fit at this zoom (the page shows the same; the map's zoom range is the
        one they were placed for)."""
        return sorted(self.per_zoom.get(str(int(round(zoom))), self.nummers))

    def _bericht(self, inhoud) -> None:
        """A click on a number; any other message (any client can send one) is ignored."""
        nr = inhoud.get("klik") if isinstance(inhoud, dict) else None
        if self._op_klik is not None and type(nr) is int and nr in self.nummers:
            self._op_klik(nr)


def zoom_naar(kaart, lagen: Kaartlagen, regios) -> None:
    """Show these regions (none: the whole country), computed at once (see beeld)."""
    grenzen = [lagen.grenzen[nr] for nr in regios if nr in lagen.grenzen]
    doel = lagen.totaal if not grenzen else [
        [min(g[0][0] for g in grenzen), min(g[0][1] for g in grenzen)],
        [max(g[1][0] for g in grenzen), max(g[1][1] for g in grenzen)]]
    centrum, zoom = beeld(doel)
    with kaart.hold_sync():
        kaart.center, kaart.zoom = centrum, zoom


def scholen_geojson(scholen: pd.DataFrame) -> dict:
    """One point per deelnemende vestiging (model.gebieden.scholen); technical ones stand out."""
    features = []
    for r in scholen.itertuples():
        t = bool(r.techniek)
        features.append({
            "type": "Feature", "id": r.vestigingscode,
            "properties": {"code": r.vestigingscode, "naam": r.naam, "techniek": t,
                           "regio": None if pd.isna(r.regio) else int(r.regio),
                           "style": {**STIP["altijd"], **STIP["techniek" if t else "overig"]}},
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


BRON_GEBIEDEN = ("Gemeentegrenzen: <a href='https://www.pdok.nl/' target='_blank'>CBS/PDOK</a> (CC BY 4.0); "
                 "scholen: DUO Open Onderwijsdata (CC0)")
LOCATIEBRONNEN = {"rio": "ligging: RIO onderwijslocaties (DUO, CC0)", "punt": "ligging: scholenbestand met punten",
                  "pc4": "ligging deels: midden van de postcode (GeoNames, CC BY 4.0)"}


def bronnen_html(lagen: Kaartlagen) -> str:
    """The map's sources: the boundaries, the schools, and where their points came from."""
    return "; ".join([BRON_GEBIEDEN, *[LOCATIEBRONNEN[b] for b in lagen.locatiebronnen if b in LOCATIEBRONNEN]])


LEGENDA_KOP = "Legenda"


def legenda_html(bouwer: bool = False) -> str:
    """Dots and region fills as the map draws them (the builder marks its choice its own way)."""
    regels = [
        {"kleur": palet.KAART_TECHNIEK, "straal": 5, "tekst": "school met een technisch profiel"},
        {"kleur": palet.KAART_OVERIG, "straal": 4, "tekst": "andere vmbo-school"},
        {"kleur": palet.REGIO_VULLING, "rand": palet.REGIO_RAND, "dekking": 0.6, "tekst": "regio (nummer in het vak)"},
    ]
    if bouwer:
        regels += [{"kleur": "transparent", "rand": palet.KAART_SELECTIE, "tekst": "regio waarmee u begon (rode stippellijn)"},
                   {"kleur": palet.KAART_SELECTIE, "straal": 6, "tekst": "gekozen vestiging (rode ring)"}]
    else:
        regels.append({"kleur": f"repeating-linear-gradient(45deg,{palet.SELECTIE_ARCERING}99 0 2px,transparent 2px 6px)",
                       "rand": palet.SELECTIE_RAND,
                       "tekst": "gekozen regio (zwarte rand, gearceerd; blijft zichtbaar als de kaart gekleurd is)"})
    return render("legenda.html", klasse="rp-legenda", kop=LEGENDA_KOP, regels=regels)


def _klasse(x, klassen) -> str:
    return next(kleur for grens, kleur in klassen if x < grens)


def regios_naar_aandeel(regios: dict, per_regio: dict, arm_term: str) -> dict:
    """The region layer coloured by technical share (the bundle's key figures per region): a
    techniekarme region stands out in its own colour with a thick border. The colours go in
    `kleurstijl`, which the layer's style callback lays over its own style."""
    features = []
    for f in regios["features"]:
        k = per_regio.get(f["properties"]["regionummer"])
        a = None if k is None else k.techniekaandeel
        stijl = {"fillColor": palet.WIT, "fillOpacity": 0.1} if a is None else {
            "fillColor": _klasse(a, palet.AANDEEL_KLASSEN), "fillOpacity": 0.75,
            "color": palet.ARM if k.techniekarm else palet.REGIO_RAND, "weight": 3 if k.techniekarm else 1}
        eigen = {k_: v for k_, v in f["properties"].items() if k_ != "style"}
        features.append({**f, "properties": {**eigen, "kleurstijl": stijl,
                                              "techniekaandeel": a, arm_term: bool(k and k.techniekarm)}})
    return {**regios, "features": features}


def pc4_naar_afstand(tabel: pd.DataFrame, profiel: str) -> dict:
    """The postcode areas (at their centroid) coloured by distance to the nearest offer of a profiel;
    `tabel`: one row per PC4 (the coverage basis's `punten`)."""
    features = []
    for pc4, lat, lon, km in zip(tabel["pc4"], tabel["lat"], tabel["lon"], tabel[f"km_{profiel}"], strict=True):
        if pd.isna(km):
            continue
        features.append({"type": "Feature", "properties": {"pc4": pc4, "km": round(float(km), 1), "style": {
            "fillColor": _klasse(km, palet.AFSTAND_KLASSEN), "color": _klasse(km, palet.AFSTAND_KLASSEN)}},
            "geometry": {"type": "Point", "coordinates": [round(float(lon), 4), round(float(lat), 4)]}})
    return {"type": "FeatureCollection", "features": features}


def kleur_legenda_html(soort: str, arm_term: str = "techniekarm", ronde: str = "") -> str:
    """The legend of a map colouring ('aandeel', or a profiel code for the distances); '' for none."""
    if soort == "geen":
        return ""
    regels, onder = [], 0
    if soort == "aandeel":
        for grens, kleur in palet.AANDEEL_KLASSEN:
            tekst = (f"minder dan {round(100 * grens)}%: {arm_term}" if onder == 0 else
                     f"{round(100 * onder)}% of meer" if grens == float("inf") else
                     f"{round(100 * onder)}% tot {round(100 * grens)}%")
            regels.append({"kleur": kleur, "rand": palet.ARM if onder == 0 else None, "tekst": tekst})
            onder = grens
        kop = f"Techniekaandeel (regeling {ronde})" if ronde else "Techniekaandeel"
    else:
        for grens, kleur in palet.AFSTAND_KLASSEN:
            regels.append({"kleur": kleur, "tekst": f"meer dan {onder} km" if grens == float("inf") else f"tot {grens} km"})
            onder = grens
        kop = f"Hemelsbrede afstand tot {profiel_naam(soort)} (per postcodegebied)"
    return render("legenda.html", klasse="rp-kleurlegenda", kop=kop, regels=regels)


def basiskaart(lagen: Kaartlagen, hoogte: str = "600px"):
    """A map without web tiles (it reads without internet): gemeente outlines, zoom buttons, a
    fullscreen button, a scale and the sources' attribution, the whole country in view, and the
    panes its layers go in (PANES). The legend goes under the map (legenda_html), never over a
    region. Dashboard and region builder add their own layers."""
    import ipywidgets as w
    from ipyleaflet import (
        AttributionControl,
        FullScreenControl,
        GeoJSON,
        Map,
        ScaleControl,
        ZoomControl,
    )

    m = Map(center=(52.15, 5.3), zoom=7, scroll_wheel_zoom=True, min_zoom=min(ZOOMS), max_zoom=max(ZOOMS),
            layout=w.Layout(height=hoogte, width="100%"), panes=PANES)
    m.clear()
    m.add(ZoomControl(position="topleft", zoom_in_title="Inzoomen", zoom_out_title="Uitzoomen"))
    m.add(FullScreenControl(position="topleft"))
    if lagen.gemeenten:
        m.add(GeoJSON(data=lagen.gemeenten_samen, name="Gemeenten",
                      style={"color": palet.GEMEENTE_RAND, "weight": 0.6, "fillColor": palet.WIT, "fillOpacity": 1}))
    # GeoJSON layers carry no attribution of their own: the sources go in the control's prefix
    m.add(AttributionControl(position="bottomright", prefix=bronnen_html(lagen) + " | Leaflet"))
    m.add(ScaleControl(position="bottomleft", imperial=False))
    m.center, m.zoom = beeld(lagen.totaal)
    return m
