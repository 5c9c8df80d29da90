"""The dashboard: a map of all regions with the schools as dots, a region column on the right,
and the portrait of the ticked regions below. One object, built once per page.

Speed: the figures come from a precomputed `Basis` (a tick filters it), the map layers from
a disk cache, all school dots are drawn on one canvas, and a bulk change ("alles aan") runs
one update instead of one per checkbox.
"""

from __future__ import annotations

import time
from urllib.parse import quote

import ipywidgets as w

from .. import rules
from ..context import Context, open_context
from ..errors import RegioportretError
from ..format import getal
from ..model.gebieden import zoek_scholen
from ..model.vergelijking import INDICATOREN
from . import panelen
from .adresbalk import Adresbalk, Downloadknop, Kaarttaal, Regiolijst
from .kaart import (
    KAART_CSS,
    REGIO_STIJL,
    SELECTIE_STIJL,
    Regionummers,
    Schoolstippen,
    basiskaart,
    kleur_legenda_html,
    legenda_html,
    pc4_naar_afstand,
    regios_naar_aandeel,
    zoom_naar,
)
from .notebook import (
    RONDE_KEUZES,
    begin_pagina,
    foutmelding,
    kies_ronde,
    query_parameters,
    query_waarde,
    ronde_in_adres,
    veilig,
    wacht_op_bezoeker,
)
from .prognose import PAGINA as PROGNOSE_PAGINA

AANVRAAG = "aanvraag.ipynb"


def tekst(soort: str, **waarden) -> str:
    """One of the dashboard's own texts (template dashboard.html)."""
    return panelen.render("dashboard.html", soort=soort, **waarden)

PANELEN = ("kern", "regels", "uitsplitsing", "profielen", "dekking", "vestigingen", "trend", "prognose",
           "arbeidsmarkt", "vergelijking")


class Dashboard:
    """The page over one context: a tick asks the context for the selection's bundle and every
    panel renders it."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.melding = w.HTML()
        self.adres = Adresbalk()
        self.adres_ronde = Adresbalk(parameter="ronde")
        self.ronde = w.Dropdown(options=RONDE_KEUZES, value=ctx.ronde.naam, description="Regeling",
                                layout=w.Layout(width="420px"), style={"description_width": "70px"})
        self.ronde.observe(veilig(self.melding, lambda ch: self.kies_ronde(ch["new"])), names="value")
        self.laatste_update_s: float | None = None
        self.lagen = ctx.kaartlagen
        self.landelijk = ctx.selectie()  # the national bundle: the first page and the school popups
        self._vestiging = {v.vestigingscode: v for v in self.landelijk.vestigingen}
        self.kaart = self._maak_kaart()
        self.kolom = self._maak_kolom()
        self.panelen = {naam: w.HTML() for naam in PANELEN}
        self.indicator = w.Dropdown(options=[(v[0], k) for k, v in INDICATOREN.items()],
                                    value="techniekaandeel", description="Rangorde op",
                                    layout=w.Layout(width="460px"), style={"description_width": "90px"})
        self.indicator.observe(veilig(self.melding, lambda _: self._vergelijk()), names="value")
        self.download = w.HTML()  # a download's error, in Dutch
        self.knop_pdf = Downloadknop(lambda: self.bestand("pdf"), self.download, beschrijving="Portret als pdf (A4)")
        self.knop_xlsx = Downloadknop(lambda: self.bestand("xlsx"), self.download,
                                      beschrijving="Aantallen per vestiging (Excel)")
        # The country's table per region (80 rows, a thousand elements) waits for a click: the
        # first view stays light, and a ticked region shows its own vestigingen instead.
        self.knop_per_regio = w.Button(description="Toon de cijfers per regio", icon="table",
                                       layout=w.Layout(width="auto", display="none"))
        self.knop_per_regio.on_click(veilig(self.melding, lambda _: self.toon_per_regio()))
        kop = w.HTML(KAART_CSS + panelen.banner(ctx.demo)
                     + tekst("kop", indeling=ctx.indeling.label, teldatum=ctx.teldatum))
        self.widget = w.VBox([
            kop, self.ronde, self.melding, self.adres, self.adres_ronde, Kaarttaal(), self.stippen, self.nummers,
            w.HBox([w.VBox([self.kaart, w.HBox([w.HTML(legenda_html()), self.kleur_legenda],
                                               layout=w.Layout(flex_flow="row wrap", grid_gap="8px"))],
                           layout=w.Layout(flex="1 1 auto")), self.kolom],
                   layout=w.Layout(width="100%", align_items="flex-start")),
            w.HBox([self.knop_pdf, self.knop_xlsx, self.download], layout=w.Layout(align_items="center")),
            w.VBox([*[x for k, v in self.panelen.items() if k != "vergelijking"
                      for x in ([self.knop_per_regio, v] if k == "vestigingen" else [v])],
                    self.indicator, self.panelen["vergelijking"]], layout=w.Layout(width="100%")),
            w.HTML(panelen.qa()),
        ], layout=w.Layout(width="100%"))
        self._bijwerken(zoom=False)

    # -- display --------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # -- map ------------------------------------------------------------------------------
    def _maak_kaart(self):
        from ipyleaflet import GeoJSON, Popup

        m = basiskaart(self.lagen)
        # a map colouring (kleur_kaart) puts its colours in each feature's `kleurstijl`
        self.laag_regios = GeoJSON(data=self.lagen.regios, name="Regio's", pane="rp-vlakken",
                                   style_callback=lambda f: {**REGIO_STIJL, **f["properties"].get("kleurstijl", {})},
                                   hover_style={"fillOpacity": 0.4})
        self.laag_selectie = GeoJSON(data={"type": "FeatureCollection", "features": []}, name="Selectie",
                                     style=SELECTIE_STIJL, pane="rp-selectie")
        for laag in (self.laag_regios, self.laag_selectie):
            laag.on_click(veilig(self.melding, self._klik_regio))
            m.add(laag)
        self.nummers = Regionummers(m, self.lagen, self.melding, self.wissel)
        self.stippen = Schoolstippen(m, self.ctx.scholen, veilig(self.melding, self.open_school))
        self.kleur_legenda = w.HTML()  # under the map, next to the legend: it never covers a region
        self.popup_html = w.HTML()
        self.popup = Popup(child=self.popup_html, close_button=True, auto_close=True, max_width=340,
                           location=(52.15, 5.3))
        self._tegels = None
        return m

    def _klik_regio(self, feature=None, **_):
        if feature:
            self.wissel(int(feature["properties"]["regionummer"]))

    def open_school(self, code: str, lat: float, lon: float, inzoomen: bool = False) -> None:
        """The school's popup on the map (from a click on its dot or from the search box)."""
        self.popup_html.value = self.school_html(code)
        self.popup.location = (lat, lon)
        if inzoomen:
            with self.kaart.hold_sync():
                self.kaart.center, self.kaart.zoom = (lat, lon), max(self.kaart.zoom, 11)
        if self.popup not in self.kaart.layers:
            self.kaart.add(self.popup)
        self.popup.open_popup((lat, lon))

    # -- colouring --------------------------------------------------------------------------
    def _maak_kleuring(self):
        """A choice of map colouring, off by default: regions by technical share, or postcode
        areas by distance to a technical profiel (when the data has residents per postcode)."""
        opties = [("geen", "geen"), ("regio's: techniekaandeel", "aandeel")]
        if self.ctx.dekking is not None:
            opties += [(f"postcodes: afstand tot {rules.PROFIEL_AFKORTING[p]}", p) for p in rules.TECHNISCHE_PROFIELEN]
        self.kleur = w.Dropdown(options=opties, value="geen", description="Kleur kaart",
                                style={"description_width": "initial"}, layout=w.Layout(width="96%"))
        self.kleur.observe(veilig(self.melding, lambda ch: self.kleur_kaart(ch["new"])), names="value")
        self._kleurlagen: dict = {}
        self.laag_pc4 = None
        return self.kleur

    def kleur_kaart(self, soort: str) -> None:
        """Colour the map: 'geen', 'aandeel' or a technical profiel code. Layers are built once."""
        from ipyleaflet import GeoJSON

        ronde = rules.RONDES[self.landelijk.definitie.ronde]  # the round the bundles apply
        if self.laag_pc4 is not None:
            self.kaart.remove(self.laag_pc4)
            self.laag_pc4 = None
        if soort == "aandeel":
            if "aandeel" not in self._kleurlagen:
                per_regio = {nr: k for nr, _, k in self.landelijk.per_regio}  # the national bundle's, in its round
                self._kleurlagen["aandeel"] = regios_naar_aandeel(self.lagen.regios, per_regio, ronde.arm_term)
            self.laag_regios.data = self._kleurlagen["aandeel"]
        else:
            self.laag_regios.data = self.lagen.regios
        if soort in rules.TECHNISCHE_PROFIELEN and self.ctx.dekking is not None:
            if soort not in self._kleurlagen:
                self._kleurlagen[soort] = pc4_naar_afstand(self.ctx.dekking["punten"], soort)
            self.laag_pc4 = GeoJSON(data=self._kleurlagen[soort], name="Postcodes", pane="rp-vlakken",
                                    point_style={"radius": 3, "weight": 0, "fillOpacity": 0.85, "pane": "rp-vlakken"})
            self.kaart.add(self.laag_pc4)
        self.kleur_legenda.value = kleur_legenda_html(soort, ronde.arm_term, ronde.naam)

    # -- search -----------------------------------------------------------------------------
    def _maak_zoeker(self):
        sch = self.ctx.scholen
        self._school = sch.set_index("vestigingscode")
        self._optie = {f"{r.naam}, {str(r.plaats).title()}" + (f" {r.postcode}" if r.postcode else "")
                       + f" ({r.vestigingscode})": r.vestigingscode for r in sch.itertuples()}
        # A plain field, searched in the kernel on Enter: a list of every school for the browser's
        # own suggestions put 1,500 <option> elements in the page before anyone typed.
        self.zoek = w.Text(placeholder="naam, plaats, postcode of code", continuous_update=False,
                           layout=w.Layout(width="96%"))
        self.zoek.observe(veilig(self.melding, lambda ch: self.zoek_school(ch["new"])), names="value")
        self.zoek_uitkomst = w.VBox(layout=w.Layout(width="96%"))
        return w.VBox([w.HTML(tekst("zoekkop")), self.zoek, self.zoek_uitkomst], layout=w.Layout(width="100%"))

    def zoek_school(self, tekst: str) -> list[str]:
        """One match opens its popup; several are offered as buttons; none says so."""
        tekst = (tekst or "").strip()
        self.zoek_uitkomst.children = ()
        if not tekst:
            return []
        codes = [self._optie[tekst]] if tekst in self._optie else zoek_scholen(self.ctx.scholen, tekst)
        if len(codes) == 1:
            r = self._school.loc[codes[0]]
            self.open_school(codes[0], float(r["lat"]), float(r["lon"]), inzoomen=True)
        elif codes:
            knoppen = []
            for c in codes:
                r = self._school.loc[c]
                k = w.Button(description=f"{r['naam']}, {str(r['plaats']).title()} ({c})",
                             layout=w.Layout(width="100%"), tooltip=f"Open {c} op de kaart")
                k.on_click(veilig(self.melding, lambda _, c=c, r=r: self.open_school(
                    c, float(r["lat"]), float(r["lon"]), inzoomen=True)))
                knoppen.append(k)
            self.zoek_uitkomst.children = [w.HTML(panelen.render(
                "melding.html", klasse="rp-zoekuitkomst", tekst=f"{getal(len(codes))} scholen gevonden; kies er een:")),
                *knoppen]
        else:  # nothing found: the previous school's popup closes, so it is not taken for the answer
            self.sluit_popup()
            self.zoek_uitkomst.children = [w.HTML(panelen.render(
                "melding.html", klasse="rp-zoekuitkomst", tekst=f"Geen school gevonden voor '{tekst[:60]}'."))]
        return codes

    def sluit_popup(self) -> None:
        if self.popup in self.kaart.layers:
            self.kaart.remove(self.popup)

    def school_html(self, code: str) -> str:
        """Popup content: the vestiging's figures from the national bundle, and the form link."""
        v = self._vestiging.get(code)
        if v is None:
            return tekst("geen_popup", code=code)
        link = (f"{AANVRAAG}?vestiging={quote(code)}" + (f"&regio={v.regionummer}" if v.regionummer is not None else "")
                + (f"&ronde={r}" if (r := ronde_in_adres(self.ronde.value)) else ""))
        return panelen.popup(v, self.ctx.teldatum, link)

    # -- region column --------------------------------------------------------------------
    def _maak_kolom(self):
        regios = self.ctx.indeling.regios
        self.regiolijst = Regiolijst(regios=[[int(nr), str(naam)] for nr, naam in
                                             zip(regios["regionummer"], regios["regionaam"], strict=True)])
        self.regiolijst.observe(veilig(self.melding, lambda _: self._bijwerken()), names="gekozen")
        self.tegels = w.Checkbox(value=False, description="achtergrondkaart (internet nodig)", indent=False)
        self.tegels.observe(veilig(self.melding, self._tegels_aan), names="value")
        return w.VBox([self._maak_zoeker(), self._maak_kleuring(), self.regiolijst, self.tegels],
                      layout=w.Layout(width="290px", min_width="290px", padding="0 0 0 8px"))

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

    # -- regulation round -------------------------------------------------------------------
    def kies_ronde(self, ronde: str) -> None:
        """Apply another regulation round: its definition, verdicts, words and budget line on
        every panel, the map's colouring and the school popups; the address bar keeps it."""
        if self.ronde.value != ronde:
            self.ronde.value = ronde  # from the address: the choice shows it, and its observer comes back here
            return
        self.landelijk = self.ctx.selectie(definitie=self.definitie)
        self._vestiging = {v.vestigingscode: v for v in self.landelijk.vestigingen}
        self.adres_ronde.waarde = ronde_in_adres(ronde)
        self._kleurlagen.pop("aandeel", None)
        self.kleur_kaart(self.kleur.value)
        self._bijwerken(zoom=False)

    # -- selection ------------------------------------------------------------------------
    @property
    def gekozen(self) -> list[int]:
        return list(self.regiolijst.gekozen)

    def kies(self, regios: list[int]) -> None:
        """Tick exactly these regions (one update, however many change)."""
        bekend = set(self.regiolijst.nummers)
        self.regiolijst.gekozen = sorted({int(nr) for nr in regios} & bekend)

    def wissel(self, nr: int) -> None:
        if nr in self.regiolijst.nummers:
            self.kies(set(self.gekozen) ^ {nr})

    def verwerk_verzoek(self, regio=None, ronde=None) -> None:
        """Apply `?regio=12,14&ronde=2020-2023` from the page address (or the notebook parameters)."""
        try:
            adres = query_parameters()
            gekozen = kies_ronde(query_waarde("ronde", ronde, adres))
            if gekozen != self.ronde.value:
                self.kies_ronde(gekozen)
            waarde = query_waarde("regio", regio, adres)
            if not waarde:
                return
            self.kies(self.ctx.regios(str(waarde)))
        except RegioportretError as e:
            self.melding.value = foutmelding(e)

    @property
    def definitie(self) -> str:
        """The chosen regulation round's definition of the technical share."""
        return rules.RONDE_DEFINITIE[self.ronde.value]

    @property
    def selectie(self):
        """The bundle of the ticked regions (the country when none) under the chosen round."""
        return self.ctx.selectie(self.gekozen, definitie=self.definitie)

    def _bijwerken(self, zoom: bool = True) -> None:
        start = time.perf_counter()
        regios = self.gekozen
        s = self.selectie
        self.adres.waarde = ",".join(map(str, regios))  # the address bar: a link to this selection
        features = [f for f in self.lagen.regios["features"] if f["properties"]["regionummer"] in regios]
        self.laag_selectie.data = {"type": "FeatureCollection", "features": features}
        if zoom:
            zoom_naar(self.kaart, self.lagen, regios)
        self.melding.value = ""
        self.download.value = ""  # an error about the previous selection's file is not this one's
        link = PROGNOSE_PAGINA + (f"?regio={quote(','.join(map(str, regios)))}" if regios else "")
        self.panelen["kern"].value = panelen.kerncijfers(s)
        self.panelen["regels"].value = panelen.regels(s)
        self.panelen["uitsplitsing"].value = panelen.per_regio(s) if len(regios) > 1 else ""
        self.panelen["profielen"].value = panelen.profielen(s)
        self.panelen["dekking"].value = panelen.dekking(s)
        self.panelen["vestigingen"].value = panelen.vestigingen(s) if regios else ""
        self.knop_per_regio.layout.display = "none" if regios else None
        if not regios:
            self.knop_per_regio.description = f"Toon de cijfers per regio ({len(s.per_regio)} regio's)"
        self.panelen["trend"].value = panelen.trend(s)
        self.panelen["prognose"].value = panelen.prognose(s, link)
        self.panelen["arbeidsmarkt"].value = panelen.arbeidsmarkt(s)
        self._vergelijk()
        self.laatste_update_s = time.perf_counter() - start

    def toon_per_regio(self) -> None:
        """The country's figures per region, on request (knop_per_regio)."""
        self.panelen["vestigingen"].value = panelen.per_regio(self.selectie)
        self.knop_per_regio.layout.display = "none"

    def _vergelijk(self) -> None:
        self.panelen["vergelijking"].value = panelen.vergelijking(self.selectie, self.indicator.value)

    def bestand(self, soort: str) -> tuple[str, str, bytes]:
        """The selection's portrait ('pdf') or exact counts ('xlsx'), made in memory: nothing is
        written to the server. The download button sends it to the browser."""
        from .export import xlsx_bytes
        from .pdf import portret_pdf

        naam = "regioportret-" + ("-".join(map(str, self.gekozen)) or "alle")
        s = self.selectie
        if soort == "pdf":
            return naam + ".pdf", "application/pdf", portret_pdf(s, self.ctx.kaartlagen, self.ctx.scholen)
        return (naam + ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                xlsx_bytes(self.ctx.aantallen(s)))

def open_dashboard(data=None, jaar=None) -> Dashboard | w.HTML:
    """The page over a new context, or a Dutch message when the data cannot be opened."""
    try:
        return Dashboard(open_context(data, jaar=jaar))
    except Exception as e:  # a user error, or an unexpected one: a message, never a blank page
        return w.HTML(foutmelding(e if isinstance(e, RegioportretError) else RegioportretError(
            f"Er ging iets onverwachts mis bij het laden van de data ({type(e).__name__}). "
            "Probeer het later opnieuw of meld dit aan de beheerder.")))


def toon_dashboard(data=None, regio=None, jaar=None, ronde=None) -> Dashboard | w.HTML:
    """For the notebook: build the context once, show the page, then apply the page's query."""
    from IPython.display import display

    begin_pagina()
    d = open_dashboard(data, jaar)
    if not isinstance(d, Dashboard) and wacht_op_bezoeker():
        d = open_dashboard(data, jaar)  # opened again for the visitor: an error from the pool is not served
    if not isinstance(d, Dashboard):
        display(d)
        return d
    display(d.widget)
    d.verwerk_verzoek(regio, ronde)
    return d
