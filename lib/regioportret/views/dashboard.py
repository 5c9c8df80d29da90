"""The dashboard: a map of all regions with the schools as dots, a region column on the right,
and the portrait of the ticked regions below. One object, built once per page.

Speed: the figures come from a precomputed `Basis` (a tick filters it), the map layers from
a disk cache, all school dots are one GeoJSON layer, and a bulk change ("alles aan") runs
one update instead of one per checkbox.
"""

from __future__ import annotations

import html
import time
from urllib.parse import parse_qs, quote

import ipywidgets as w
from ipywidgets.widgets.widget_bool import CheckboxStyle

from .. import rules
from ..errors import RegioportretError
from ..format import getal
from ..model import actieve_indeling, basis, kies_regios, prognoseportret, vergelijking
from ..model import arbeidsmarkt as arbeidsmarktmodel
from ..model.portret import bovenbouw
from ..model.trend import trend_basis
from ..store import laad
from .arbeidsmarkt import arbeidsmarkt_panel
from .kaart import basiskaart, beeld, kaartlagen, scholen_geojson
from .notebook import foutmelding, query_string
from .panelen import profiel_balken, regels_panel, regio_tabel, trend_voor, vergelijking_panel
from .portret import STIJL, banner, kerncijfers, profiel_tabel, vestiging_tabel
from .prognose import PAGINA as PROGNOSE_PAGINA
from .prognose import prognose_panel
from .qa import qa_html

KAART_CSS = """<style>
.leaflet-container{background:#dfe7ef}
.rp-regiolabel{background:rgba(255,255,255,.85);border:1px solid #2b4a6f;border-radius:3px;font:600 11px sans-serif;
 color:#1b2a3a;text-align:center;line-height:14px}
</style>"""
AANVRAAG = "aanvraag.ipynb"
HORIZON = 5  # years ahead shown in the dashboard: the four years of an STO plan and one more


class Dashboard:
    def __init__(self, data=None, indeling=None, jaar=None):
        self.melding = w.HTML()
        self.laatste_update_s: float | None = None
        try:
            self.ds = laad(data)
            self.indeling = actieve_indeling(self.ds, indeling)
            rijen = bovenbouw(self.ds)  # all years, read once: the portrait and the trend share it
            self.basis = basis(self.ds, self.indeling, jaar, rijen)
        except Exception as e:  # a user error, or an unexpected one: a message, never a blank page
            self.ds = None
            self.melding.value = foutmelding(e if isinstance(e, RegioportretError) else RegioportretError(
                f"Er ging iets onverwachts mis bij het laden van de data ({type(e).__name__}). "
                "Probeer het later opnieuw of meld dit aan de beheerder."))
            self.widget = w.VBox([self.melding])
            return
        self._bulk = False
        self._landelijk: dict[str, str] = {}  # panels of the whole country: computed once
        self._trend = trend_basis(rijen, rules.TECHNISCHE_PROFIELEN)
        del rijen
        e = self.ds.lees("examens", ["schooljaar", "vestigingscode", "onderwijstype", "sector",
                                     "kandidaten", "kandidaten_onderdrukt"])
        self._examens = None if e is None else e[e["onderwijstype"].str.upper().str.startswith("VMBO")]
        self.lagen = kaartlagen(self.ds, self.indeling)
        self.prognose = prognoseportret.basis(self.ds, self.indeling)
        self.vergelijking = vergelijking.tabel(self.basis, self.indeling, self._trend, self._examens, self.prognose)
        self.kaart = self._maak_kaart()
        self.kolom = self._maak_kolom()
        self.panelen = {naam: w.HTML() for naam in ("kern", "regels", "uitsplitsing", "profielen", "balken",
                                                     "vestigingen", "trend", "prognose", "arbeidsmarkt",
                                                     "vergelijking")}
        self.indicator = w.Dropdown(options=[(v[0], k) for k, v in vergelijking.INDICATOREN.items()],
                                    value="techniekaandeel", description="Rangorde op",
                                    layout=w.Layout(width="460px"), style={"description_width": "90px"})
        self.indicator.observe(lambda _: self._vergelijk(), names="value")
        self.knop_pdf = w.Button(description="Portret als pdf (A4)",
                                 layout=w.Layout(width="auto"))
        self.knop_xlsx = w.Button(description="Aantallen per vestiging (Excel)",
                                  layout=w.Layout(width="auto"))
        self.download = w.HTML()
        self.knop_pdf.on_click(lambda _: self._maak_download("pdf"))
        self.knop_xlsx.on_click(lambda _: self._maak_download("xlsx"))
        kop = w.HTML(KAART_CSS + STIJL + banner(self.ds.is_demo) + f"<div class='rp-regel'>Regio-indeling: "
                     f"<b>{html.escape(self.indeling.label)}</b>. Teldatum {rules.teldatum(self.basis.jaar)}. Klik op een regio "
                     "of vink hem rechts aan; klik op een school voor details.</div>")
        self.widget = w.VBox([
            kop, self.melding,
            w.HBox([self.kaart, self.kolom], layout=w.Layout(width="100%", align_items="flex-start")),
            w.HBox([self.knop_pdf, self.knop_xlsx, self.download], layout=w.Layout(align_items="center")),
            w.VBox([*[v for k, v in self.panelen.items() if k != "vergelijking"], self.indicator,
                    self.panelen["vergelijking"]], layout=w.Layout(width="100%")),
            w.HTML(STIJL + qa_html()),
        ], layout=w.Layout(width="100%"))
        self._bijwerken(zoom=False)

    # -- display --------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # -- map ------------------------------------------------------------------------------
    def _maak_kaart(self):
        from ipyleaflet import DivIcon, GeoJSON, LayerGroup, Marker, Popup

        m = basiskaart(self.lagen)
        self.laag_regios = GeoJSON(data=self.lagen.regios, name="Regio's",
                                   style={"color": "#2b4a6f", "weight": 1.4, "fillColor": "#7fa7d9", "fillOpacity": 0.18},
                                   hover_style={"fillOpacity": 0.4})
        self.laag_selectie = GeoJSON(data={"type": "FeatureCollection", "features": []}, name="Selectie",
                                     style={"color": "#c92a2a", "weight": 3, "fillColor": "#ffa94d", "fillOpacity": 0.35})
        for laag in (self.laag_regios, self.laag_selectie):
            laag.on_click(self._klik_regio)
            m.add(laag)
        labels = []
        for lab in self.lagen.labels:
            mk = Marker(location=(lab["lat"], lab["lon"]), draggable=False, keyboard=False,
                        title=f"regio {lab['regionummer']} – {lab['regionaam']}",
                        icon=DivIcon(html=f'<div class="rp-regiolabel">{lab["regionummer"]}</div>',
                                     icon_size=[26, 16], icon_anchor=[13, 8]))
            mk.on_click(lambda nr=lab["regionummer"], **_: self.wissel(nr))
            labels.append(mk)
        m.add(LayerGroup(layers=labels, name="Regionummers"))
        self.laag_scholen = GeoJSON(data=scholen_geojson(self.basis.tabel, self.ds.locaties), name="Scholen",
                                    point_style={"radius": 4, "weight": 1, "fillOpacity": 0.95})
        self.laag_scholen.on_click(self._klik_school)
        m.add(self.laag_scholen)
        self.popup_html = w.HTML()
        self.popup = Popup(child=self.popup_html, close_button=True, auto_close=True, max_width=340,
                           location=(52.15, 5.3))
        self._tegels = None
        return m

    def _klik_regio(self, feature=None, **_):
        if feature:
            self.wissel(int(feature["properties"]["regionummer"]))

    def _klik_school(self, feature=None, **_):
        if not feature:
            return
        code = feature["properties"]["code"]
        lon, lat = feature["geometry"]["coordinates"]
        self.popup_html.value = self.school_html(code)
        self.popup.location = (lat, lon)
        if self.popup not in self.kaart.layers:
            self.kaart.add(self.popup)
        self.popup.open_popup((lat, lon))

    def school_html(self, code: str) -> str:
        """Popup content: name, code, address, students per technical profiel, form link."""
        t = self.basis.tabel[self.basis.tabel["vestigingscode"] == code]
        naam = t["vestigingsnaam"].iloc[0] if len(t) else code
        adres = ""
        v = self.ds.vestigingen
        if v is not None and code in set(v["vestigingscode"]):
            r = v[v["vestigingscode"] == code].iloc[0]
            adres = f"{r['straat']} {r['huisnummer']}, {r['postcode']} {r['plaatsnaam']}".strip(" ,")
        regio = t["regionummer"].dropna()
        regio_nr = int(regio.iloc[0]) if len(regio) else None
        tech = t[t["profiel"].isin(rules.TECHNISCHE_PROFIELEN)].groupby("profiel")["aantal"].sum()
        onderdrukt = int(t.loc[t["profiel"].isin(rules.TECHNISCHE_PROFIELEN), "onderdrukt"].sum())
        regels = "".join(f"<tr><td>{rules.PROFIEL_AFKORTING[p]}</td><td style='text-align:right'>{getal(n)}</td></tr>"
                         for p, n in tech.items()) or "<tr><td colspan=2>geen technische profielen</td></tr>"
        link = f"{AANVRAAG}?vestiging={quote(code)}" + (f"&regio={regio_nr}" if regio_nr is not None else "")
        return (f"<div class='rp-popup'><b>{html.escape(str(naam))}</b><br>Vestiging {html.escape(code)}"
                f"<br>{html.escape(adres)}<br>Regio: {regio_nr if regio_nr is not None else 'niet ingedeeld'}"
                f"<table>{regels}</table>"
                + (f"<div>{onderdrukt} onderdrukte cellen (&lt;5) niet meegeteld</div>" if onderdrukt else "")
                + f"<div style='font-size:.8em'>Leerjaar 3-4, teldatum {rules.teldatum(self.basis.jaar)}</div>"
                f"<a href='{link}' target='_blank'>naar het aanvraagformulier</a></div>")

    # -- region column --------------------------------------------------------------------
    def _maak_kolom(self):
        self.filter = w.Text(placeholder="Zoek regio (nummer of naam)", layout=w.Layout(width="96%"))
        aan = w.Button(description="alles aan", layout=w.Layout(width="48%"))
        uit = w.Button(description="alles uit", layout=w.Layout(width="48%"))
        aan.on_click(lambda _: self.kies(list(self.vinkjes)))
        uit.on_click(lambda _: self.kies([]))
        regios = self.indeling.regios
        self.vinkjes = {}
        # One shared layout and style: each widget model costs the browser time at first paint.
        opmaak, stijl = w.Layout(width="auto", margin="0"), CheckboxStyle()
        for nr, naam in zip(regios["regionummer"], regios["regionaam"], strict=True):
            cb = w.Checkbox(value=False, description=f"{nr} – {naam}", indent=False, layout=opmaak, style=stijl)
            cb.observe(self._vinkje, names="value")
            self.vinkjes[int(nr)] = cb
        self.filter.observe(self._filter, names="value")
        self.tegels = w.Checkbox(value=False, description="achtergrondkaart (internet nodig)", indent=False)
        self.tegels.observe(self._tegels_aan, names="value")
        self.lijst = w.VBox(list(self.vinkjes.values()), layout=w.Layout(max_height="470px", overflow="auto"))
        return w.VBox([w.HTML("<b>Regio's</b>"), self.filter, w.HBox([aan, uit]), self.lijst, self.tegels],
                      layout=w.Layout(width="290px", min_width="290px", padding="0 0 0 8px"))

    def _filter(self, change):
        tekst = change["new"].strip().lower()
        self.lijst.children = [cb for cb in self.vinkjes.values() if not tekst or tekst in cb.description.lower()]

    def _tegels_aan(self, change):
        from ipyleaflet import TileLayer, basemaps

        if change["new"]:
            self._tegels = TileLayer(url=basemaps.OpenStreetMap.Mapnik.build_url(), opacity=0.6,
                                     attribution=basemaps.OpenStreetMap.Mapnik.attribution)
            self.kaart.add(self._tegels)
            self.kaart.layers = (self._tegels, *[la for la in self.kaart.layers if la is not self._tegels])
        elif self._tegels is not None:
            self.kaart.remove(self._tegels)
            self._tegels = None

    # -- selection ------------------------------------------------------------------------
    @property
    def gekozen(self) -> list[int]:
        return [nr for nr, cb in self.vinkjes.items() if cb.value]

    def _vinkje(self, _change):
        if not self._bulk:
            self._bijwerken()

    def kies(self, regios: list[int]) -> None:
        """Tick exactly these regions (one update, however many boxes change)."""
        self._bulk = True
        try:
            for nr, cb in self.vinkjes.items():
                cb.value = nr in regios
        finally:
            self._bulk = False
        self._bijwerken()

    def wissel(self, nr: int) -> None:
        if nr in self.vinkjes:
            self.vinkjes[nr].value = not self.vinkjes[nr].value

    def verwerk_verzoek(self, regio=None) -> None:
        """Apply `?regio=12,14` from the page address (or the notebook parameter)."""
        if self.ds is None:
            return
        waarde = parse_qs(query_string()).get("regio", [None])[0] or regio
        if not waarde:
            return
        try:
            self.kies(kies_regios(self.indeling, str(waarde)))
        except RegioportretError as e:
            self.melding.value = foutmelding(e)

    def _bijwerken(self, zoom: bool = True) -> None:
        start = time.perf_counter()
        regios = self.gekozen
        p = self.basis.portret(regios)
        features = [f for f in self.lagen.regios["features"] if f["properties"]["regionummer"] in regios]
        self.laag_selectie.data = {"type": "FeatureCollection", "features": features}
        if zoom:
            self._zoom(regios)
        self.melding.value = ""
        self.download.value = ""  # a file made for the previous selection is not this one's
        self.panelen["kern"].value = kerncijfers(p, met_banner=False) + ("" if regios else
            "<div class='rp-regel'><i>Geen regio gekozen: dit zijn de cijfers van alle vestigingen in de data. "
            "Vink rechts een of meer regio's aan.</i></div>")
        self.panelen["regels"].value = regels_panel(p, overslaan=("techniekarm", "samenwerking"))  # in "kern"
        self.panelen["uitsplitsing"].value = regio_tabel(
            [self.basis.portret([nr]) for nr in regios], "Per geselecteerde regio") if len(regios) > 1 else ""
        self.panelen["profielen"].value = profiel_tabel(p)
        self.panelen["balken"].value = profiel_balken(p)
        if regios:
            vest = list(p.tabel["vestigingscode"].unique())
            self.panelen["vestigingen"].value = vestiging_tabel(p)
            self.panelen["trend"].value = self._trend_html(vest)
            self.panelen["prognose"].value = self._prognose_html(vest, regios)
            self.panelen["arbeidsmarkt"].value = arbeidsmarkt_panel(arbeidsmarktmodel.beeld(self.ds, p), self.ds.is_demo)
        else:
            if not self._landelijk:
                self._landelijk["vestigingen"] = regio_tabel(self.basis.portretten(),
                                                             f"Per regio ({self.indeling.label})")
                self._landelijk["trend"] = self._trend_html(None)
                self._landelijk["prognose"] = self._prognose_html(None, [])
                self._landelijk["arbeidsmarkt"] = arbeidsmarkt_panel(arbeidsmarktmodel.beeld(self.ds, p),
                                                                     self.ds.is_demo)
            self.panelen["vestigingen"].value = self._landelijk["vestigingen"]
            self.panelen["trend"].value = self._landelijk["trend"]
            self.panelen["prognose"].value = self._landelijk["prognose"]
            self.panelen["arbeidsmarkt"].value = self._landelijk["arbeidsmarkt"]
        self._vergelijk()
        self.laatste_update_s = time.perf_counter() - start

    def _vergelijk(self) -> None:
        if not self.gekozen:  # the national view already has the table of all regions; keep the first page light
            self.panelen["vergelijking"].value = (
                STIJL + "<h4>Vergelijking met andere regio's en het land</h4><div class='rp-regel'>Vink een of meer "
                "regio's aan om ze te vergelijken met de andere regio's en het land, met een rangorde van alle "
                "regio's.</div>")
            return
        bron = (f"Bron: DUO, teldatum {rules.teldatum(self.basis.jaar)}; indeling: {self.indeling.label}. "
                "Aandelen van alle vmbo-leerlingen in leerjaar 3-4.")
        self.panelen["vergelijking"].value = vergelijking_panel(self.vergelijking, self.gekozen,
                                                                self.indicator.value, bron)

    def _trend_html(self, vestigingen: list[str] | None) -> str:
        return trend_voor(self._trend, self._examens, vestigingen, self.ds.is_demo)

    def _maak_download(self, soort: str) -> None:
        """Build the file in memory and offer it as a link: nothing is written to the server."""
        import base64

        from .export import tabellen, xlsx_bytes
        from .pdf import portret_pdf

        regios = self.gekozen
        naam = "regioportret-" + ("-".join(map(str, regios)) or "alle")
        self.download.value = "<span class='rp-regel'>Bezig met maken…</span>"
        try:
            p = self.basis.portret(regios)
            if soort == "pdf":
                inhoud = portret_pdf(self.ds, self.indeling, p, trend=self._trend)
                mime, naam = "application/pdf", naam + ".pdf"
            else:
                inhoud = xlsx_bytes(tabellen(self.ds, p))
                mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                naam += ".xlsx"
        except Exception as e:  # a message on the page, never a traceback
            self.download.value = foutmelding(e if isinstance(e, RegioportretError) else RegioportretError(
                f"Het bestand kon niet worden gemaakt ({type(e).__name__})."))
            return
        data = base64.b64encode(inhoud).decode()
        self.download.value = (f"<a class='rp-download' download='{naam}' href='data:{mime};base64,{data}'>"
                               f"Download {html.escape(naam)}</a> ({getal(len(inhoud) // 1024)} kB)")

    def _prognose_html(self, vestigingen: list[str] | None, regios: list[int]) -> str:
        titel = ("alle vestigingen in de data" if not regios else
                 ", ".join(f"regio {nr}" for nr in regios))
        p = None if self.prognose is None else prognoseportret.prognose(self.prognose, vestigingen)
        link = PROGNOSE_PAGINA + (f"?regio={quote(','.join(map(str, regios)))}" if regios else "")
        return prognose_panel(self.prognose, p, HORIZON, titel, link)

    def _zoom(self, regios: list[int]) -> None:
        grenzen = [self.lagen.grenzen[nr] for nr in regios if nr in self.lagen.grenzen]
        doel = self.lagen.totaal if not grenzen else [
            [min(g[0][0] for g in grenzen), min(g[0][1] for g in grenzen)],
            [max(g[1][0] for g in grenzen), max(g[1][1] for g in grenzen)]]
        centrum, zoom = beeld(doel)
        with self.kaart.hold_sync():
            self.kaart.center, self.kaart.zoom = centrum, zoom


def toon_dashboard(data=None, regio=None, jaar=None) -> Dashboard:
    """For the notebook: build, show, then apply the page's query (deep link)."""
    from IPython.display import display

    d = Dashboard(data=data, jaar=jaar)
    display(d.widget)
    d.verwerk_verzoek(regio)
    return d

