"""One context per dataset: the only place that loads data for the model.

    sources -> store -> context -> model -> bundle (model.selectie.Selectie) -> views / CLI

`open_context(data, indeling, jaar)` opens the dataset once, picks the indeling, and builds
every precomputed basis a page needs (the portrait counts, the trend table, the forecast, the
map layers, the comparison table); the slow ones are kept in the store's disk cache, keyed on
the dataset and the indeling. Entry points (a notebook page, the CLI, the site renderer) build
one context and pass it on; `context.selectie(...)` gives the one bundle of figures every
surface renders.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from dataclasses import replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from . import rules, store
from .errors import IndelingFout, SelectieFout
from .model import aantallen, gebieden, prognoseportret, scenario, selectie, vergelijking
from .model import dekking as dekkingmodel
from .model.portret import Basis, Portret, basis, kies_jaar
from .model.regios import VOORBEELD_LABEL, Indeling, kies_regios, voorbeeldindeling
from .model.trend import techniek_per_jaar, trend_basis
from .sources.indeling import controleer_codes, lees_indelingbestand

VERSIE = 18  # bump when a cached basis changes shape
BOVENBOUW_KOLOMMEN = ["jaar", "vestigingscode", "vestigingsnaam", "plaatsnaam", "leerweg", "categorie", "profiel",
                      "leerjaar", "aantal", "onderdrukt"]


def bovenbouw(ds: store.Dataset, jaar: int | None = None) -> pd.DataFrame:
    """The rows of the student table this package counts: vmbo leerjaar 3-4 (one year or all),
    read narrowly from the store."""
    filters = [("leerjaar", "in", [3, 4])] + ([("jaar", "==", jaar)] if jaar is not None else [])
    d = ds.lees("leerlingen", BOVENBOUW_KOLOMMEN, filters)
    return d[d["leerweg"].notna()].reset_index(drop=True)


def actieve_indeling(ds: store.Dataset, indeling: str | os.PathLike | None = None) -> Indeling:
    """The indeling given by the user (argument, else $REGIOPORTRET_INDELING), else the one
    shipped with the data, else the example from DUO's nodale gebieden. Every code is checked
    against the vestigingen the data knows."""
    indeling = indeling or os.environ.get("REGIOPORTRET_INDELING") or None
    bekend = ds.vestigingscodes()
    extra = {}  # a file's own marks: vestigingen in no region, the edited region
    if indeling is not None:
        pad = Path(indeling)
        b = lees_indelingbestand(pad)
        tabel, soort, label, bron = b.tabel, "bestand", f"regio-indeling uit {pad.name}", str(indeling)
        extra = {"niet_ingedeeld": b.niet_ingedeeld, "bewerkt": b.bewerkt}
    elif ds.indeling is not None:
        bron = next((b["bestand"] for b in ds.bronnen("indeling")), "data")
        label = "demo-indeling, fictieve regio's" if ds.is_demo else f"regio-indeling uit {bron}"
        tabel, soort = ds.indeling, "data"
    elif ds.vestigingen is not None and "nodaal_code" in ds.vestigingen:
        # Cached per dataset: placing the missing vestigingen reads gemeente polygons a page need not load.
        sleutel = hashlib.sha256(f"{VERSIE}|{ds.cachesleutel}".encode()).hexdigest()[:16]
        return store.bewaard("voorbeeldindeling", sleutel,
                             lambda: voorbeeldindeling(ds.vestigingen, **ds.zonder_adres()))
    else:
        raise SelectieFout("Er is geen regio-indeling: geef er een met --indeling (regionummer;regionaam;vestigingscode) "
                           "of voeg DUO's 'Alle vestigingen vo' toe aan de data voor de voorbeeldindeling.")
    controleer_codes(tabel, bekend, bron, extra.get("niet_ingedeeld", ()))
    return Indeling(tabel, soort, label, bron, **extra)


def lees_indeling_bestand(ds: store.Dataset, naam: str, inhoud: bytes) -> Indeling:
    """An indeling uploaded in a page (read from memory: nothing is written on the server)."""
    from .sources._csv import Geheugenbestand

    b = lees_indelingbestand(Geheugenbestand(naam, inhoud))
    controleer_codes(b.tabel, ds.vestigingscodes(), naam, b.niet_ingedeeld)
    return Indeling(b.tabel, "bestand", f"regio-indeling uit {naam}", naam, niet_ingedeeld=b.niet_ingedeeld,
                    bewerkt=b.bewerkt)


class Context:
    """The dataset, its indeling and every precomputed basis; `selectie` gives a bundle."""

    def __init__(self, ds: store.Dataset, indeling: Indeling, jaar: int | None = None,
                 definitie: str | None = None):
        self.ds = ds
        self.indeling = indeling
        self.jaar = kies_jaar(ds.jaren, jaar)
        self.definitie = definitie
        self._selecties: OrderedDict = OrderedDict()
        self._rondes: dict[str, Context] = {}  # met_definitie: the other rounds' contexts

    # -- identity ---------------------------------------------------------------------------
    @property
    def demo(self) -> bool:
        return self.ds.is_demo

    @property
    def teldatum(self) -> str:
        return rules.teldatum(self.jaar)

    @cached_property
    def sleutel(self) -> str:
        """Cache key of (dataset, indeling, the model's code): a cached basis is only ever used for
        its own inputs, and never after the code that made it changed (a new forecast rule)."""
        h = hashlib.sha256(f"{VERSIE}|{self.ds.cachesleutel}|{store.code_vingerafdruk()}".encode())
        h.update(pd.util.hash_pandas_object(self.indeling.tabel[["regionummer", "vestigingscode"]],
                                            index=False).values.tobytes())
        return h.hexdigest()[:16]

    # -- the bases --------------------------------------------------------------------------
    @cached_property
    def _bases(self) -> tuple[Basis, pd.DataFrame]:
        """The portrait counts and the trend table, from one narrow read of all years of
        leerjaar 3-4; kept in the store's cache, so a page's kernel reads a few MB instead of
        the student table (less memory and CPU per visitor)."""
        def maak():
            rijen = bovenbouw(self.ds)
            bronnen = [b["bestand"] for b in self.ds.bronnen("leerlingen") if self.jaar in (b.get("jaren") or [])]
            return (basis(rijen, self.indeling, self.jaar, demo=self.ds.is_demo, bronnen=bronnen,
                          koppeling=self.ds.arbeidsmarktkoppeling),
                    trend_basis(rijen, rules.TECHNISCHE_PROFIELEN))

        b, trend = store.bewaard("bases", f"{self.sleutel}-{self.jaar}", maak)
        return replace(b, indeling=self.indeling), trend  # the context's own indeling object

    @property
    def basis(self) -> Basis:
        return self._bases[0]

    @property
    def trend(self) -> pd.DataFrame:
        return self._bases[1]

    @cached_property
    def examens(self) -> pd.DataFrame | None:
        """The vmbo exam rows (the trend's exam series), kept in the store's cache."""
        def maak():
            e = self.ds.lees("examens", ["schooljaar", "vestigingscode", "onderwijstype", "sector", "kandidaten",
                                         "kandidaten_onderdrukt"])
            return None if e is None else e[e["onderwijstype"].str.upper().str.startswith("VMBO")].reset_index(
                drop=True)

        return store.bewaard("examens", self.sleutel, maak)

    def _prognose_bereken(self, voortgang=None) -> prognoseportret.Basis | None:
        soort = prognoseportret.kies_soort(self.ds.jaren, self.ds.manifest["jaren"].get("examens", []))
        if soort is None:
            return None
        tabel = "leerlingen" if soort == "leerlingen" else "examens"
        reeks = self.ds.leerlingen if soort == "leerlingen" else self.ds.examens
        bronnen = [b["bestand"] for b in self.ds.bronnen(tabel)]
        if soort == "examenkandidaten":  # the exam forecast also reads the student files
            bronnen += [b["bestand"] for b in self.ds.bronnen("leerlingen")]
        po = self.ds.po_leerlingen if self.ds.heeft("po_leerlingen") else None
        bronnen += [b["bestand"] for b in self.ds.bronnen("po_leerlingen")] if po is not None else []
        woonplaatsen = self.ds.woonplaatsen if self.ds.heeft("woonplaatsen") else None
        bronnen += [b["bestand"] for b in self.ds.bronnen("woonplaatsen")] if woonplaatsen is not None else []
        return prognoseportret.bereken(
            soort, reeks, self.indeling, bevolking=self.ds.bevolking, vestigingen=self.ds.vestigingen,
            bronnen=bronnen, demo=self.ds.is_demo, voortgang=voortgang,
            leerlingen=self.ds.leerlingen if soort == "examenkandidaten" else None, po_leerlingen=po,
            woonplaatsen=woonplaatsen)

    @cached_property
    def prognose_details(self) -> prognoseportret.Basis | None:
        """The forecast basis with the backtest's long table (the prognose page's plots)."""
        return store.bewaard("prognose", self.sleutel, self._prognose_bereken)

    @cached_property
    def prognose(self) -> prognoseportret.Basis | None:
        """The forecast basis without the long table: what a dashboard kernel keeps."""
        if "prognose_details" in self.__dict__:
            return prognoseportret.zonder_details(self.prognose_details)
        return store.bewaard("prognose-kort", self.sleutel,
                             lambda: prognoseportret.zonder_details(self.prognose_details))

    @cached_property
    def dekking(self) -> dict | None:
        """The coverage basis (model.dekking): who lives where (DUO's pupils by home postcode when
        the data has them, else CBS's residents aged 10-14) and their distance to each technical
        profiel; computed once per dataset and teldatum, kept in the store's cache."""
        ds = self.ds  # asked by name: a page with a cached basis never reads these tables
        leerlingen = ds.heeft("woonplaatsen")
        if not ds.heeft("pc4") or not ds.heeft("locaties") or (not ds.heeft("bevolking") and not leerlingen):
            return None

        def maak() -> dict | None:
            aanbod = dekkingmodel.aanbod_van(self.basis.tabel)
            met_leerlingen = leerlingen and not ds.woonplaatsen.empty
            if not met_leerlingen and ds.bevolking is None:
                return None
            if met_leerlingen:
                per_pc4, jaar = dekkingmodel.leerlingen_per_pc4(ds.woonplaatsen, self.jaar,
                                                                set(self.basis.tabel["vestigingscode"]))
                tabel, weggelaten = dekkingmodel.basis_leerlingen(ds.pc4, per_pc4, aanbod, ds.locaties)
                tabellen = ("woonplaatsen", "pc4")
                eenheid = (f"Leerlingen in leerjaar {dekkingmodel.LEERJAREN[0]}-{dekkingmodel.LEERJAREN[-1]} "
                           f"(woonpostcode, teldatum {rules.teldatum(jaar)})")
                methode, bron = dekkingmodel.METHODE_LEERLINGEN, dekkingmodel.BRON_LEERLINGEN
            else:
                jongeren = dekkingmodel.jongeren_per_pc4(ds.bevolking)
                tabel, weggelaten = dekkingmodel.basis(ds.pc4, jongeren, ds.locaties, aanbod)
                tabellen = ("bevolking", "pc4")
                eenheid = f"Jongeren ({dekkingmodel.LEEFTIJD[0]}-{dekkingmodel.LEEFTIJD[1]} jaar)"
                methode, bron = dekkingmodel.METHODE, dekkingmodel.BRON_JONGEREN
            bronnen = [b["bestand"] for t in tabellen for b in ds.bronnen(t)]
            km = [f"km_{p}" for p in rules.TECHNISCHE_PROFIELEN]
            punten = tabel.drop_duplicates("pc4")[["pc4", "lat", "lon", *km]].reset_index(drop=True)
            return {"tabel": tabel, "punten": punten, "aanbod": aanbod, "weggelaten": weggelaten, "bronnen": bronnen,
                    "methode": methode, "eenheid": eenheid, "bron": bron,
                    "wie": "leerlingen" if met_leerlingen else "jongeren"}

        return store.bewaard("dekking", f"{self.sleutel}-{self.jaar}", maak)

    @cached_property
    def apart(self) -> pd.Series:
        """Students in DUO's VMBO-MBO2 lj 3-6 per vestiging on the teldatum: no vmbo leerweg, so not
        in the counts, but reported on every portrait."""
        def maak():
            d = self.ds.lees("leerlingen", ["vestigingscode", "aantal"],
                             [("jaar", "==", self.jaar), ("categorie", "==", "vmbo-mbo2")])
            if d is None or d.empty:
                return pd.Series(dtype="int64")
            return d.groupby("vestigingscode")["aantal"].sum().astype("int64")

        return store.bewaard("apart", f"{self.sleutel}-{self.jaar}", maak)

    @cached_property
    def kaartlagen(self) -> gebieden.Kaartlagen:
        return store.bewaard("kaart", self.sleutel, lambda: gebieden.kaartlagen(
            self.ds.gemeenten, self.ds.locaties, self.indeling.tabel, self.ds.vestigingen))

    @cached_property
    def scholen(self) -> pd.DataFrame:
        """The school dots: deelnemende vestigingen with a location."""
        return gebieden.scholen(self.basis.tabel, self.ds.locaties, self.ds.vestigingen)

    @cached_property
    def vergelijking(self) -> pd.DataFrame:
        """Every region and the country on the comparison's indicators (kept in the store's cache)."""
        return store.bewaard("vergelijking", f"{self.sleutel}-{self.jaar}-{self.definitie or 'standaard'}",
                             lambda: vergelijking.tabel(self.basis, self.indeling, self.trend, self.examens,
                                                        self.prognose, definitie=self.definitie))

    @cached_property
    def per_regio(self) -> dict:
        """Every region's key figures (the national table): once per dataset and definition."""
        return store.bewaard("kerncijfers", f"{self.sleutel}-{self.jaar}-{self.definitie or 'standaard'}",
                             lambda: selectie.regio_kerncijfers(self.basis, self.definitie))

    @cached_property
    def grondslag(self) -> selectie.Grondslag:
        ds = self.ds
        bronnen = {soort: [b["pad"] for b in ds.bronnen(t)]
                   for soort, t in (("cbs", "arbeidsmarkt"), ("uwv", "spanning"), ("doorstroom", "doorstroom"))}
        return selectie.Grondslag(
            basis=self.basis, trend=self.trend, examens=self.examens, prognose=self.prognose,
            adressen=ds.vestigingen, vergelijking=self.vergelijking, per_regio=self.per_regio,
            arbeidsmarkt={"cbs": ds.arbeidsmarkt, "uwv": ds.spanning, "doorstroom": ds.doorstroom,
                          "bronnen": bronnen}, apart=self.apart, dekking=self.dekking,
            techniek=techniek_per_jaar(self.trend, self.examens))

    def voorbereiden(self) -> None:
        """Compute and cache every basis a page reads: the app runs this before it serves, so a
        page's kernel (which has no parquet reader) only reads the cache."""
        self.ds.vestigingscodes()
        self.selectie()  # the national bundle: every basis of the grondslag
        self.kaartlagen, self.scholen  # noqa: B018 - cached properties: reading them fills the cache
        self.prognose_details  # noqa: B018 - the prognose page
        for definitie in rules.DEFINITIES:  # a page can switch to the other regulation round
            self.selectie(definitie=definitie)

    # The bases that do not depend on the regulation round: shared by met_definitie.
    _ZONDER_RONDE = ("sleutel", "_bases", "examens", "prognose_details", "prognose", "dekking", "apart",
                     "kaartlagen", "scholen")

    def met_definitie(self, definitie: str | None) -> Context:
        """The same data and indeling under another regulation round's definition (a page's
        choice of round), made once per round. What does not depend on the round is shared, not
        read again."""
        if (definitie or rules.STANDAARD_DEFINITIE) == (self.definitie or rules.STANDAARD_DEFINITIE):
            return self
        if definitie not in self._rondes:
            ander = Context(self.ds, self.indeling, self.jaar, definitie)
            for naam in self._ZONDER_RONDE:
                if naam in self.__dict__:
                    ander.__dict__[naam] = self.__dict__[naam]
            self._rondes[definitie] = ander
        return self._rondes[definitie]

    @property
    def ronde(self) -> rules.Ronde:
        """The regulation round whose definition and terms this context applies."""
        return rules.RONDES[rules.DEFINITIES[self.definitie or rules.STANDAARD_DEFINITIE].ronde]

    # -- selections -------------------------------------------------------------------------
    def regios(self, keuze) -> list[int]:
        """'12,14', 12 or [12, 14] checked against the indeling."""
        return kies_regios(self.indeling, keuze)

    def selectie(self, regios=None, vestigingen: list[str] | None = None, nummer: int | None = None,
                 naam: str | None = None, definitie: str | None = None) -> selectie.Selectie:
        """The one bundle of a selection (regions, or the builder's loose vestigingen; neither:
        the whole country), under the context's regulation round or `definitie`'s. Bundles are
        immutable, so the last few are kept."""
        if definitie is not None and self.met_definitie(definitie) is not self:
            return self.met_definitie(definitie).selectie(regios, vestigingen, nummer, naam)
        nummers = tuple(self.regios(regios)) if vestigingen is None else ()
        sleutel = (nummers, None if vestigingen is None else tuple(sorted(set(vestigingen))), nummer, naam)
        if sleutel in self._selecties:
            self._selecties.move_to_end(sleutel)
            return self._selecties[sleutel]
        def maak():
            return selectie.maak(self.grondslag, list(nummers), None if vestigingen is None else list(sleutel[1]),
                                 nummer, naam, self.definitie)

        if sleutel == ((), None, None, None):
            # The country's bundle is every page's first view, the same for every visitor: read
            # from the cache (a few ms) instead of made from the bases in each page's kernel.
            s = store.bewaard("landelijk", f"{self.sleutel}-{self.jaar}-{self.definitie or 'standaard'}", maak)
        else:
            s = maak()
        self._selecties[sleutel] = s
        if len(self._selecties) > 16:
            self._selecties.popitem(last=False)
        return s

    def regio_selecties(self) -> list[selectie.Selectie]:
        """One bundle per region of the indeling (the static site, `regios --json`)."""
        return [self.selectie([int(n)]) for n in self.indeling.regios["regionummer"]]

    def regio_van(self, vestiging: str) -> int | None:
        nr = self.indeling.tabel.loc[self.indeling.tabel["vestigingscode"] == vestiging.strip().upper(), "regionummer"]
        return None if nr.empty else int(nr.iloc[0])

    def cellen(self, s: selectie.Selectie) -> pd.DataFrame:
        """DUO's own cells (vestiging x opleiding x leerjaar x geslacht) behind a selection: the
        exact-count download reads them, suppression kept."""
        d = self.ds.lees("leerlingen", ["jaar", "vestigingscode", "vestigingsnaam", "plaatsnaam", "onderwijstype",
                                        "leerweg", "categorie", "profiel", "afdeling", "opleidingsnaam", "leerjaar",
                                        "geslacht", "aantal", "onderdrukt"],
                         [("jaar", "==", s.jaar), ("leerjaar", "in", [3, 4])])
        d = d[d["leerweg"].notna() & d["vestigingscode"].isin(s.codes)].copy()
        d["regio"] = d["vestigingscode"].map(self.indeling.tabel.set_index("vestigingscode")["regionummer"])
        d["regio"] = d["regio"].astype("Int64")
        return d.reset_index(drop=True)

    def aantallen(self, s: selectie.Selectie) -> dict[str, pd.DataFrame]:
        """The exact-count download of a selection (sheet name -> table): DUO's cells behind it and
        their sums, made in one place for every surface (dashboard button, `export`)."""
        return aantallen.tabellen(self.cellen(s), s)

    def score_duo(self, oorsprong: int | None = None) -> pd.DataFrame | None:
        """DUO's own leerlingenprognose scored with the same backtest (None when not loaded)."""
        if self.ds.duoprognose is None:
            return None
        return prognoseportret.score_duo(self.ds.duoprognose, self.ds.leerlingen, oorsprong)

    def lees_indeling(self, naam: str, inhoud: bytes) -> Indeling:
        return lees_indeling_bestand(self.ds, naam, inhoud)

    # -- scenarios --------------------------------------------------------------------------
    def scenario(self, wijzigingen, regios=None, vestigingen: list[str] | None = None, nummer: int = 0,
                 naam: str = "Nieuwe regio") -> scenario.Uitkomst:
        """A scenario (profielen that stop or start) on a selection, before and after."""
        if self.ds.locaties is None:
            raise SelectieFout("Deze data heeft geen schoollocaties: een scenario kan niet worden doorgerekend.")
        nummers = None if vestigingen is not None else self.regios(regios)
        return scenario.doorreken(self.basis, self.ds.locaties, self.dekking, wijzigingen, nummers, vestigingen,
                                  nummer, naam, self.definitie)

    @staticmethod
    def lees_scenario(naam: str, inhoud: bytes) -> tuple[scenario.Wijziging, ...]:
        """A scenario file uploaded in a page (read from memory)."""
        from .sources._csv import Geheugenbestand
        from .sources.scenario import lees_scenario

        return scenario.van_tabel(lees_scenario(Geheugenbestand(naam, inhoud)))

    def __repr__(self) -> str:
        return f"Context({self.ds.map}, {self.indeling.label}, teldatum {self.teldatum})"


def open_context(data=None, indeling=None, jaar: int | None = None, definitie: str | None = None,
                 voortgang: bool = False) -> Context:
    """The context of a data folder (raw, processed, or the embedded demo; see store.laad)."""
    ds = store.laad(data, voortgang=voortgang)
    return Context(ds, actieve_indeling(ds, indeling), jaar, definitie)


# Convenience for researchers and tests: one portrait without building a whole context.
def portret(ds: store.Dataset, indeling: Indeling, regios: list[int] | None = None, jaar: int | None = None,
            definitie: str | None = None) -> Portret:
    return Context(ds, indeling, jaar, definitie).basis.portret(regios, definitie)


def portretten(ds: store.Dataset, indeling: Indeling, jaar: int | None = None,
               definitie: str | None = None) -> list[Portret]:
    return Context(ds, indeling, jaar, definitie).basis.portretten(definitie)


__all__ = ["Context", "open_context", "actieve_indeling", "bovenbouw", "portret", "portretten", "IndelingFout",
           "VOORBEELD_LABEL"]
