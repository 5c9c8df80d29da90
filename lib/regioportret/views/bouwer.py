"""The region builder (regiobouwer.ipynb): compose a region on the map and see its portrait live.

Start from an existing region, an empty one, or a drawn shape; click dots to add or remove
vestigingen; the key figures, rules, budget count and forecast follow every change, with the
vestigingen that the active indeling already puts in another region listed. The composition
saves as a regio-indeling CSV (download) and loads back (upload); nothing is written on the
server.
"""

from __future__ import annotations

import time

import ipywidgets as w

from .. import rules
from ..context import Context, open_context
from ..errors import RegioportretError
from ..format import getal
from ..model.bouwer import binnen_vorm, geopend, indeling_csv, niet_ingedeeld, vrij_nummer
from ..model.scenario import Wijziging, scenario_csv
from . import palet, panelen
from .adresbalk import MAX_UPLOAD_BYTES, Bestandskiezer, Downloadknop, Kaarttaal
from .kaart import (
    KAART_CSS,
    ONGEVOELIG,
    REGIO_STIJL,
    Regionummers,
    basiskaart,
    dicht_bij,
    legenda_html,
    scholen_geojson,
    zoom_naar,
)
from .notebook import begin_pagina, foutmelding, veilig

KLEUR_GEKOZEN = palet.KAART_SELECTIE
def tekst(soort: str, **waarden) -> str:
    """One part of the builder's text (template bouwer.html)."""
    return panelen.render("bouwer.html", soort=soort, **waarden)


GEOPEND_REDEN = {
    "bewerkt": "in het bestand gemarkeerd als bewerkt",
    "enige": "de enige regio in het bestand",
    "geraden": "het bestand zegt niet welke regio bewerkt is: de eerste die afwijkt van de actieve indeling",
    "eerste": "het bestand zegt niet welke regio bewerkt is: de eerste",
}


class Regiobouwer:
    """The builder over one context: every change asks it for the composition's bundle."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.indeling = ctx.indeling
        self.melding = w.HTML()
        self.laatste_update_s: float | None = None
        self.lagen = ctx.kaartlagen
        self.scholen = scholen_geojson(ctx.scholen)
        self.punten = {f["properties"]["code"]: f for f in self.scholen["features"]}
        self.locaties = ctx.scholen[["vestigingscode", "lon", "lat"]]
        self.gekozen: set[str] = set()
        # What 'hele indeling' saves into: the active indeling, or a whole indeling loaded since.
        self.basis_tabel, self.basis_los = self.indeling.tabel, list(self.indeling.niet_ingedeeld)
        self.wijzigingen: list[Wijziging] = []
        self.laatste_scenario_s: float | None = None
        self._namen = {f["properties"]["code"]: f["properties"].get("naam", "") for f in self.scholen["features"]}
        self._maak_widgets()
        self._bijwerken()

    # -- widgets ----------------------------------------------------------------------------
    def _maak_widgets(self):
        from ipyleaflet import DrawControl, GeoJSON

        self.kaart = basiskaart(self.lagen, "560px")
        self.kaart.add(GeoJSON(data=self.lagen.regios, name="Regio's (actieve indeling)", style=REGIO_STIJL,
                               pane="rp-vlakken"))
        # the region the composition started from, outlined so you see where you are
        self.laag_regio = GeoJSON(data={"type": "FeatureCollection", "features": []}, name="Gekozen regio",
                                  pane="rp-selectie",
                                  style={"color": KLEUR_GEKOZEN, "weight": 3, "dashArray": "6 4",
                                         "fillColor": KLEUR_GEKOZEN, "fillOpacity": 0.08, "className": ONGEVOELIG})
        self.kaart.add(self.laag_regio)
        self.nummers = Regionummers(self.kaart, self.lagen, self.melding)
        self.laag_scholen = GeoJSON(data=self.scholen, name="Scholen", pane="rp-scholen",
                                    # ipyleaflet makes each point's marker from point_style alone: the pane goes there
                                    point_style={"radius": 4, "weight": 1, "fillOpacity": 0.95, "pane": "rp-scholen"})
        self.laag_scholen.on_click(veilig(self.melding, self._klik_school))
        self.laag_gekozen = GeoJSON(data={"type": "FeatureCollection", "features": []}, name="Gekozen",
                                    pane="rp-gekozen",
                                    point_style={"radius": 7, "weight": 3, "color": KLEUR_GEKOZEN, "pane": "rp-gekozen",
                                                 "fillOpacity": 0.2})
        self.laag_gekozen.on_click(veilig(self.melding, self._klik_school))
        self.kaart.add(self.laag_scholen)
        self.kaart.add(self.laag_gekozen)
        # A drawn shape stays until 'Alles wissen'; it takes no clicks, so the dots under it stay clickable.
        vorm = {"shapeOptions": {"color": KLEUR_GEKOZEN, "fillOpacity": 0.06, "interactive": False,
                                 "className": ONGEVOELIG}}
        self.teken = DrawControl(polygon=vorm, rectangle=vorm, circle=vorm,
                                 polyline={}, circlemarker={}, marker={}, edit=False, remove=False)
        self.teken.on_draw(veilig(self.melding, self._getekend))
        self.kaart.add(self.teken)
        regios = [("leeg", "leeg")] + [(f"regio {r.regionummer} – {r.regionaam}", str(r.regionummer))
                                       for r in self.indeling.regios.itertuples()]
        passend = {"description_width": "initial"}  # Dutch labels are long: never cut them off
        self.begin = w.Dropdown(options=regios, value="leeg", description="Begin met",
                                layout=w.Layout(width="330px"), style=passend)
        self.begin.observe(veilig(self.melding, self._begin), names="value")
        self.nummer = w.BoundedIntText(value=vrij_nummer(self.indeling), min=1, max=rules.MAX_REGIONUMMER,
                                       description="Regionummer",
                                       layout=w.Layout(width="200px"), style=passend)
        self.naam = w.Text(value="Nieuwe regio", description="Naam", layout=w.Layout(width="330px"), style=passend)
        self._laden_bezig = False
        for x in (self.nummer, self.naam):
            x.observe(veilig(self.melding, lambda _: None if self._laden_bezig else self._bijwerken()), names="value")
        self.wis = w.Button(description="Alles wissen", layout=w.Layout(width="auto"))
        self.wis.on_click(veilig(self.melding, lambda _: self.wis_alles()))
        # where dots overlap, a click asks which school is meant
        self.stapel = w.VBox([], layout=w.Layout(width="100%"))
        self.download = w.HTML()  # a download's error, in Dutch
        self.opslaan_regio = Downloadknop(lambda: self._opslaan(heel=False), self.download,
                                          beschrijving="Opslaan: deze regio (CSV)")
        self.opslaan_heel = Downloadknop(lambda: self._opslaan(heel=True), self.download,
                                         beschrijving="Opslaan: hele indeling met deze regio (CSV)")
        self.laden = Bestandskiezer(veilig(self.melding, self._laden), veilig(self.melding, self._te_groot),
                                    beschrijving="Indeling laden (CSV)", accept=".csv")
        self.tijd = w.HTML()
        self.overlap_html = w.HTML()
        self.niet_ingedeeld_html = w.HTML()
        self.portret_html = w.HTML()
        self.lijst = w.HTML()
        kolom = w.VBox([self.begin, self.nummer, self.naam, w.HBox([self.wis]), self.stapel, self.lijst],
                       layout=w.Layout(width="360px", min_width="340px"))
        self.scenario_box = self._maak_scenario(passend)
        self.widget = w.VBox([
            w.HTML(KAART_CSS + panelen.stijl() + panelen.banner(self.ctx.demo)
                   + tekst("uitleg", indeling=self.indeling.label)),
            self.melding, Kaarttaal(), self.nummers, w.HBox([w.VBox([self.kaart, w.HTML(legenda_html(bouwer=True))], layout=w.Layout(flex="1 1 auto")),
                                              kolom], layout=w.Layout(width="100%", align_items="flex-start")),
            self.overlap_html, self.niet_ingedeeld_html, w.HBox([self.opslaan_regio, self.opslaan_heel, self.laden]),
            w.HTML(tekst("bewaren")), self.download,
            self.tijd, self.portret_html, self.scenario_box,
        ], layout=w.Layout(width="100%"))

    def _maak_scenario(self, passend: dict) -> w.VBox:
        """A profiel that stops or starts at a vestiging, and what that does to this region."""
        self.sc_vestiging = w.Dropdown(options=[], description="Vestiging",  # whole names: as wide as they need
                                       layout=w.Layout(width="auto", min_width="420px", max_width="100%"), style=passend)
        self.sc_profiel = w.Dropdown(options=[(rules.PROFIEL_AFKORTING[p], p) for p in rules.TECHNISCHE_PROFIELEN],
                                     value="BWI", description="Profiel", layout=w.Layout(width="170px"), style=passend)
        self.sc_actie = w.ToggleButtons(options=[("stopt", "stopt"), ("start", "start")], value="stopt",
                                        description="Wijziging", style={**passend, "button_width": "70px"})
        self.sc_toevoegen = w.Button(description="Toevoegen aan scenario", button_style="primary",
                                     layout=w.Layout(width="auto"))
        self.sc_toevoegen.on_click(veilig(self.melding, lambda _: self.voeg_toe(
            self.sc_vestiging.value, self.sc_profiel.value, self.sc_actie.value)))
        self.sc_terug = w.Button(description="Laatste wijziging terugdraaien", layout=w.Layout(width="auto"))
        self.sc_terug.on_click(veilig(self.melding, lambda _: self.zet_scenario(self.wijzigingen[:-1])))
        self.sc_wis = w.Button(description="Scenario wissen", layout=w.Layout(width="auto"))
        self.sc_wis.on_click(veilig(self.melding, lambda _: self.zet_scenario([])))
        self.sc_opslaan = Downloadknop(self._scenario_opslaan, self.download, beschrijving="Scenario opslaan (CSV)")
        self.sc_laden = Bestandskiezer(veilig(self.melding, self._scenario_laden), veilig(self.melding, self._te_groot),
                                       beschrijving="Scenario laden (CSV)", accept=".csv")
        self.sc_melding = w.HTML()
        self.sc_html = w.HTML()
        self.sc_tijd = w.HTML()
        return w.VBox([
            w.HTML("<hr>"), self.sc_html,
            w.HBox([self.sc_vestiging, self.sc_profiel, self.sc_actie], layout=w.Layout(flex_flow="row wrap")),
            w.HBox([self.sc_toevoegen, self.sc_terug, self.sc_wis, self.sc_opslaan, self.sc_laden],
                   layout=w.Layout(flex_flow="row wrap")),
            self.sc_melding, self.sc_tijd,
        ], layout=w.Layout(width="100%"))

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # -- changes ----------------------------------------------------------------------------
    def zet(self, codes: set[str]) -> None:
        self.gekozen = set(codes)
        self._bijwerken()

    def wissel(self, code: str) -> None:
        self.zet(self.gekozen ^ {code})

    def wis_alles(self) -> None:
        """No vestigingen, no drawn shapes."""
        self.teken.clear()
        self.stapel.children = ()
        self.zet(set())

    def _klik_school(self, feature=None, **_):
        """A click on a dot toggles its school; where dots overlap at this zoom, the column asks
        which school is meant (a click must never toggle a school hidden under another)."""
        if not feature:
            return
        code = feature["properties"]["code"]
        lon, lat = feature["geometry"]["coordinates"]
        hier = dicht_bij(self.punten, lon, lat, self.kaart.zoom)
        if len(hier) <= 1:
            self.stapel.children = ()
            self.wissel(code)
            return
        knoppen = []
        for c in hier:
            k = w.Button(description=f"{c} {self._namen.get(c, '')}: " + ("weghalen" if c in self.gekozen else "toevoegen"),
                         layout=w.Layout(width="100%"), tooltip=self._namen.get(c, c))
            k.add_class("rp-stapelkeuze")
            k.on_click(veilig(self.melding, lambda _, c=c: self._kies_uit_stapel(c)))
            knoppen.append(k)
        annuleer = w.Button(description="Geen van deze", layout=w.Layout(width="auto"))
        annuleer.on_click(lambda _: setattr(self.stapel, "children", ()))
        self.stapel.children = (w.HTML(tekst("stapel", n=len(hier))),
                                *knoppen, annuleer)

    def _kies_uit_stapel(self, code: str) -> None:
        self.stapel.children = ()
        self.wissel(code)

    def _getekend(self, _target, action, geo_json):
        if action != "created" or self.locaties is None:
            return
        try:
            binnen = binnen_vorm(self.locaties, geo_json)
        except RegioportretError as e:
            self.melding.value = foutmelding(e)
            return
        self.zet(self.gekozen | set(binnen))  # the shape stays on the map until 'Alles wissen'

    def _begin(self, change):
        if change["new"] == "leeg":
            self.toon_regio(None)
            self.zet(set())
            return
        nr = int(change["new"])
        self.nummer.value, self.naam.value = nr, self.indeling.naam(nr)
        self.zet(set(self.indeling.tabel.loc[self.indeling.tabel["regionummer"] == nr, "vestigingscode"]))
        self.toon_regio(nr)

    def toon_regio(self, nr: int | None) -> None:
        """Outline region `nr` of the active indeling and zoom to it (None or a number the
        active indeling lacks: no outline, the view stays)."""
        features = [f for f in self.lagen.regios["features"] if f["properties"]["regionummer"] == nr]
        self.laag_regio.data = {"type": "FeatureCollection", "features": features}
        if features:
            zoom_naar(self.kaart, self.lagen, [nr])

    def _opslaan(self, heel: bool) -> tuple[str, str, bytes]:
        """This region (or the whole active indeling with it) as a regio-indeling CSV, in memory."""
        tekst = indeling_csv(sorted(self.gekozen), self.nummer.value, self.naam.value,
                             tabel=self.basis_tabel if heel else None, los=self.basis_los)
        return f"regio-indeling-{self.nummer.value}{'-heel' if heel else ''}.csv", "text/csv", tekst.encode("utf-8")

    def laad_csv(self, naam: str, inhoud: bytes) -> None:
        """Load a saved indeling (the builder's own CSV, or any regio-indeling): exactly its
        vestigingen, also those without a dot on the map. From a whole indeling the region the
        file marks as edited opens, and the whole indeling (with its vestigingen in no region)
        becomes what 'hele indeling' saves into. Read from memory: nothing is written on the server."""
        geladen = self.ctx.lees_indeling(naam, inhoud)
        t = geladen.tabel
        nr, reden = geopend(geladen, self.indeling)
        rij = t[t["regionummer"] == nr]
        heel = t["regionummer"].nunique() > 1 or bool(geladen.niet_ingedeeld)
        if heel:
            self.basis_tabel, self.basis_los = t[["regionummer", "regionaam", "vestigingscode"]], list(
                geladen.niet_ingedeeld)
        self._laden_bezig = True  # one update for number, name and vestigingen together
        try:
            self.nummer.value, self.naam.value = nr, str(rij["regionaam"].iloc[0])
        finally:
            self._laden_bezig = False
        self.zet(set(rij["vestigingscode"]))
        self.toon_regio(nr)
        self.melding.value = panelen.stijl() + tekst(
            "geladen", bestand=naam, regios=t["regionummer"].nunique(),
            vestigingen=len(t), niet=geladen.niet_ingedeeld, nummer=nr, regionaam=self.naam.value, geopend=len(rij),
            reden=reden, reden_tekst=GEOPEND_REDEN, heel=heel)

    def _laden(self, naam: str, inhoud: bytes) -> None:
        try:
            self.laad_csv(naam, inhoud)
        except RegioportretError as e:
            self.melding.value = foutmelding(e)

    def _te_groot(self, naam: str, grootte: int) -> None:
        """The page already told the user; the kernel says it where the messages go, too."""
        self.melding.value = foutmelding(RegioportretError(
            f"Het bestand {naam} is te groot ({getal(grootte / 1048576, 1)} MB; hoogstens "
            f"{getal(MAX_UPLOAD_BYTES / 1048576, 1)} MB) en is niet gelezen."))

    # -- scenario ---------------------------------------------------------------------------
    def voeg_toe(self, code: str | None, profiel: str, actie: str) -> None:
        if not code:
            self.sc_melding.value = foutmelding(RegioportretError("Kies eerst een vestiging."))
            return
        self.zet_scenario([*self.wijzigingen, Wijziging(code, profiel, actie)])

    def zet_scenario(self, wijzigingen: list[Wijziging]) -> None:
        """Change the scenario; a change the data refutes is refused with a message, and the
        scenario stays as it was."""
        vorige = self.wijzigingen
        self.wijzigingen = list(wijzigingen)
        if not self._scenario_bijwerken():
            self.wijzigingen = vorige
            self._scenario_bijwerken(melding=False)

    def _scenario_bijwerken(self, melding: bool = True) -> bool:
        start = time.perf_counter()
        codes = sorted(self.gekozen)
        u = None
        try:
            if self.wijzigingen and codes:
                u = self.ctx.scenario(self.wijzigingen, vestigingen=codes, nummer=int(self.nummer.value),
                                      naam=self.naam.value.strip() or "Nieuwe regio")
                self.wijzigingen = list(u.wijzigingen)
        except RegioportretError as e:
            if melding:
                self.sc_melding.value = foutmelding(e)
            return False
        if melding:
            self.sc_melding.value = ""
        if self.wijzigingen and not codes:
            self.sc_html.value = panelen.scenario(None, self._namen, set()) + tekst("scenario_zonder_regio")
        else:
            self.sc_html.value = panelen.scenario(u, self._namen, set(codes))
        self.laatste_scenario_s = time.perf_counter() - start
        self.sc_tijd.value = tekst("tijd", klasse="rp-scenario-bijgewerkt", tekst="scenario doorgerekend in",
                                   ms=self.laatste_scenario_s * 1000)
        return True

    def _scenario_opslaan(self) -> tuple[str, str, bytes]:
        if not self.wijzigingen:
            raise RegioportretError("Het scenario heeft nog geen wijzigingen.")
        return "scenario.csv", "text/csv", scenario_csv(self.wijzigingen).encode("utf-8")

    def _scenario_laden(self, naam: str, inhoud: bytes) -> None:
        try:
            self.zet_scenario(list(self.ctx.lees_scenario(naam, inhoud)))
        except RegioportretError as e:
            self.sc_melding.value = foutmelding(e)

    # -- the live portrait ------------------------------------------------------------------
    def _bijwerken(self) -> None:
        start = time.perf_counter()
        codes = sorted(self.gekozen)
        self.laag_gekozen.data = {"type": "FeatureCollection", "features": [
            {**self.punten[c], "properties": {**self.punten[c]["properties"], "style": {
                "color": KLEUR_GEKOZEN, "fillColor": palet.KAART_TECHNIEK if self.punten[c]["properties"]["techniek"]
                else palet.KAART_OVERIG, "radius": 7, "weight": 3, "fillOpacity": 0.6}}}
            for c in codes if c in self.punten]}
        nummer, naam = int(self.nummer.value), self.naam.value.strip() or "Nieuwe regio"
        s = self.ctx.selectie(vestigingen=codes, nummer=nummer, naam=naam) if codes else None
        over = s.overlap if s is not None else ()
        self.overlap_html.value = "" if not over else panelen.stijl() + tekst("overlap", over=over)
        los = niet_ingedeeld(codes, nummer, self.basis_tabel, self.basis_los) if codes else []
        self.niet_ingedeeld_html.value = "" if not los else panelen.stijl() + tekst(
            "niet_ingedeeld", codes=los, namen=self._namen)
        # the chosen vestigingen as the bundle counts them: with students in leerjaar 3-4 (in the key
        # figures) and without (listed, not counted)
        self.lijst.value = panelen.stijl() + tekst("lijst", s=s, codes=codes)
        if s is not None:
            self.portret_html.value = panelen.kerncijfers(s) + self._prognose_html(s) + panelen.regels(s, overslaan=())
        else:
            self.portret_html.value = panelen.stijl() + tekst("leeg")
        self.download.value = ""
        opties = [(f"{v.vestigingscode} {v.naam}", v.vestigingscode) for v in (s.vestigingen if s else ())]
        if [o[1] for o in self.sc_vestiging.options] != [o[1] for o in opties]:
            self.sc_vestiging.options = opties
        self._scenario_bijwerken()
        self.laatste_update_s = time.perf_counter() - start
        self.tijd.value = tekst("tijd", klasse="rp-bijgewerkt", tekst="bijgewerkt in", ms=self.laatste_update_s * 1000)

    @staticmethod
    def _prognose_html(s) -> str:
        """One line: the main forecast series 4 years ahead, from the bundle."""
        p = s.prognose
        if p is None or p.groei is None:
            return ""
        x = next(x for x in p.reeksen[p.hoofdreeks].prognose if x.h == 4)
        return (tekst("prognose", p=p, x=x)
                + panelen.render("prognose_methode.html", p=p, bronnen_kort=panelen.bronnen_kort(p.bronnen)))


def toon_regiobouwer(data=None, regio=None) -> Regiobouwer | None:
    """For the notebook: build and show; `regio` (or ?regio=) starts from that region."""
    from IPython.display import display

    from .notebook import _display, query_waarde

    begin_pagina()
    try:
        b = Regiobouwer(open_context(data))
    except RegioportretError as e:
        _display(foutmelding(e))
        return None
    display(b.widget)
    try:
        waarde = query_waarde("regio", regio)
    except RegioportretError as e:
        b.melding.value = foutmelding(e)
        return b
    if waarde and str(waarde) in {o[1] for o in b.begin.options}:
        b.begin.value = str(waarde)
    elif waarde:
        getoond = str(waarde)[:40]
        b.melding.value = foutmelding(RegioportretError(f"Onbekende regio '{getoond}': begin met een lege regio."))
    return b
