"""The bundle of one selection: every figure any surface shows, computed once.

A selection is a set of regions (or none: the whole country) or a set of loose vestigingen
(the region builder). `maak` turns a `Grondslag` (the precomputed bases of one dataset, built
by the context) and a selection into one immutable `Selectie`. The dashboard, the PDF, the
static site, the application form, the region builder, the prognose page and the CLI render
that bundle and compute nothing of their own, so they cannot disagree.

Counts are whole numbers here; forecast points and bands are rounded once, half up, to whole
students (regioportret.format.heel), so every surface prints the same number.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cached_property

import pandas as pd

from .. import rules
from ..format import getal, heel
from . import arbeidsmarkt as arbeidsmarktmodel
from . import bouwer
from . import dekking as dekkingmodel
from . import prognose as pg
from . import prognoseportret as pp
from . import regels as regelmodel
from .onderdrukking import REGEL as ONDERDRUKT_REGEL
from .portret import Basis, Portret
from .regios import Indeling
from .trend import (
    examenkandidaten_per_sector,
    leerlingen_trend,
    totaal_per_jaar,
    verandering,
    vergelijkbaar_vanaf,
)

# Years ahead every surface shows: the four years of an STO plan and one more.
HORIZON = 5
TREND_BRON = ("DUO, Leerlingen vo per vestiging naar onderwijstype (teldatum 1 oktober van elk jaar) en "
              "Examenkandidaten en geslaagden (schooljaren)")


@dataclass(frozen=True)
class Grondslag:
    """What every selection of one dataset is computed from (built once by the context)."""

    basis: Basis
    trend: pd.DataFrame  # model.trend.trend_basis
    examens: pd.DataFrame | None  # vmbo exam rows
    prognose: pp.Basis | None
    adressen: pd.DataFrame | None  # DUO's address list, one row per vestiging
    vergelijking: pd.DataFrame  # model.vergelijking.tabel: one row per region and the country
    per_regio: dict = field(default_factory=dict)  # regionummer -> Kerncijfers (regio_kerncijfers)
    arbeidsmarkt: dict = field(default_factory=dict)  # cbs, uwv, doorstroom, bronnen
    apart: pd.Series | None = None  # vestigingscode -> VMBO-MBO2 students on the teldatum (no vmbo leerweg)
    dekking: dict | None = None  # model.dekking basis: tabel, aanbod, weggelaten, bronnen (None: no PC4 data)
    techniek: tuple = (None, "")  # model.trend.techniek_per_jaar: the technical series over the years, its label

    @property
    def indeling(self) -> Indeling:
        return self.basis.indeling

    @cached_property
    def niet_ingedeeld(self) -> tuple[dict, ...]:
        """Once per dataset: the vestigingen with students that no region has."""
        return niet_ingedeeld(self.basis)


@dataclass(frozen=True)
class Kerncijfers:
    """The key figures of a set of vestigingen (a selection, or one region of it)."""

    leerlingen: dict[str, int]
    leerlingen_totaal: int
    profielen: dict[str, int]
    routes: int
    oude_programmas: int
    techniek: int
    noemer: int
    techniekaandeel: float | None
    techniekarm: bool | None
    per_ronde: dict[str, dict]  # regulation round -> definitie, techniekaandeel, techniekarm
    vestigingen: int
    vestigingen_met_techniek: int
    instellingen_met_techniek: int
    twee_scholen_regel: bool
    onderdrukt: int
    budget_leerlingen: int
    budget_indicatie_eur: float | None

    @property
    def profiel_verhouding(self) -> dict[str, float]:
        """Each profiel's count as a share of the largest (the length of its bar)."""
        hoogste = max(self.profielen.values(), default=0) or 1
        return {p: n / hoogste for p, n in self.profielen.items()}

    @classmethod
    def van(cls, p: Portret) -> Kerncijfers:
        lw = p.leerlingen()
        return cls(leerlingen=lw, leerlingen_totaal=sum(lw.values()), profielen=p.profielen(), routes=p.routes(),
                   oude_programmas=p.oude_programmas(), techniek=p.techniek(), noemer=p.noemer(),
                   techniekaandeel=p.techniekaandeel(), techniekarm=p.techniekarm(), per_ronde=p.per_ronde(),
                   vestigingen=p.vestigingen(),
                   vestigingen_met_techniek=p.vestigingen_met_techniek(),
                   instellingen_met_techniek=p.instellingen_met_techniek(),
                   twee_scholen_regel=p.twee_scholen_regel(), onderdrukt=p.onderdrukt(),
                   budget_leerlingen=regelmodel.budget_leerlingen(p),
                   budget_indicatie_eur=regelmodel.budget_indicatie_eur(p))

    @property
    def rondes_oneens(self) -> bool:
        """The rounds' definitions give different techniekarm verdicts."""
        return len({r["techniekarm"] for r in self.per_ronde.values()}) > 1

    def als_dict(self) -> dict:
        """The JSON: the verdict under a round-neutral key (`onder_drempel`) with the round's own
        word beside it (`drempelterm`: techniekluw for 2025-2028, techniekarm for 2020-2023)."""
        d = asdict(self)
        d["techniekaandeel"] = None if self.techniekaandeel is None else round(self.techniekaandeel, 6)
        d["aantal_vestigingen"] = d.pop("vestigingen")
        d["onder_drempel"] = d.pop("techniekarm")
        d["per_ronde"] = {ronde: {**{k: v for k, v in r.items() if k != "techniekarm"},
                                  "onder_drempel": r["techniekarm"], "drempelterm": rules.RONDES[ronde].arm_term}
                          for ronde, r in d["per_ronde"].items()}
        return d


@dataclass(frozen=True)
class Vestiging:
    """A deelnemende vestiging: vmbo students in leerjaar 3-4 at the teldatum."""

    vestigingscode: str
    naam: str
    adres: str
    postcode: str
    plaats: str
    gemeente: str
    regionummer: int | None
    leerlingen: dict[str, int]  # per leerweg
    totaal: int
    techniek: dict[str, dict[str, int]]  # technical profiel -> beroepsgerichte leerweg -> students
    techniek_per_profiel: dict[str, int]
    techniek_totaal: int
    onderdrukt: int
    kan_penvoerder_zijn: bool


@dataclass(frozen=True)
class Punt:
    jaar: int
    h: int
    punt: int
    onder: int | None  # None: too few backtest errors at this level and horizon for a band
    boven: int | None


@dataclass(frozen=True)
class Reeks:
    naam: str
    label: str
    historie: dict[int, int]
    prognose: tuple[Punt, ...]  # every horizon the method forecasts
    band_niveau: str | None = None  # the backtest level the band comes from (None: no band)

    @property
    def band_woord(self) -> str:
        """What a page calls the shaded area: a band from a backtest, or a range from the inputs."""
        return "bereik" if self.band_niveau == pp.INVOER else "band"

    def tot(self, horizon: int = HORIZON) -> tuple[Punt, ...]:
        """The points up to `horizon` years ahead (pages show HORIZON)."""
        return tuple(p for p in self.prognose if p.h <= horizon)


@dataclass(frozen=True)
class Prognosebundel:
    """The forecast of the selection: series, band, the backtest behind it."""

    soort: str
    omschrijving: str
    methode: str
    toont: str  # 'model', or 'laatste_waarde' when the method cannot run on this data
    oorsprong: int
    niveau: str  # the backtest level the band comes from
    interval: tuple[float, float]
    hoofdreeks: str
    reeksen: dict[str, Reeks]
    backtest_h3: dict  # series -> the method's backtest error three years ahead at `niveau` (Prognose.fout)
    backtest: dict  # series -> MAPE per model (rows) and horizon (columns) at `niveau`, with the ratio row
    backtest_n: int
    bronnen: tuple[str, ...]
    bevolking: str | None
    demo: bool
    vestigingen: int
    groei: float | None  # main series, h=4 against the last count
    # exam soort: leerjaar 3-4 (all: 'totaal', technical: 'techniek') after the newest student file
    leerlingen: dict[str, Reeks] = field(default_factory=dict)
    leerlingen_methode: str | None = None  # how they are forecast and what their band is (pp.LJ34_METHODE)

    @property
    def getoond(self) -> list[str]:
        """The series the pages chart: the main one and the technical one."""
        return [self.hoofdreeks] + (["techniek"] if "techniek" in self.reeksen else [])

    def leerlingen_tot(self, naam: str, horizon: int = HORIZON) -> tuple[Punt, ...]:
        """Leerjaar 3-4 after the student file, for every year up to `horizon` years after the
        last year of the data (the years the data does not cover and the plan period)."""
        return tuple(x for x in self.leerlingen[naam].prognose if x.jaar <= self.oorsprong + horizon)

    def als_dict(self, horizon: int = HORIZON) -> dict:
        return {
            "soort": self.soort, "omschrijving": self.omschrijving, "methode": self.methode,
            "toont": self.toont,
            "oorsprong": self.oorsprong, "niveau_band": self.niveau, "interval": list(self.interval),
            "horizon": horizon, "vestigingen": self.vestigingen,
            "groei_4_jaar": None if self.groei is None else round(self.groei, 6),
            "reeksen": {n: {"label": r.label, "historie": r.historie, "band_niveau": r.band_niveau,
                            "prognose": [asdict(p) for p in r.tot(horizon)]}
                        for n, r in self.reeksen.items()},
            "backtest_h3": self.backtest_h3, "bronnen": list(self.bronnen), "demo": self.demo,
            "leerlingen_lj34": None if not self.leerlingen else {
                "methode": self.leerlingen_methode,
                "reeksen": {n: {"label": r.label, "historie": r.historie, "band_niveau": r.band_niveau,
                                "prognose": [asdict(p) for p in self.leerlingen_tot(n, horizon)]}
                            for n, r in self.leerlingen.items()}},
        }


@dataclass(frozen=True)
class Trend:
    leerlingen: pd.DataFrame  # teldatum year x BB..TL, techniek, onderdrukt, totaal, techniekaandeel
    examens: pd.DataFrame | None  # schooljaar x sector ('onbekend' included), totaal, onderdrukt
    vergelijkbaar_vanaf: str | None = None  # first school year whose sector split is complete
    bron: str = TREND_BRON
    # The change of the technical series from its first to its last year: reeks, van, tot, known
    # counts and suppressed cells of both years, punt, laag, hoog (model.trend.verandering).
    verandering: dict | None = None
    # The same series per year: bekend, onderdrukt, laag, punt, hoog (model.onderdrukking's rule).
    techniek: pd.DataFrame | None = None
    onderdrukt_regel: str = ONDERDRUKT_REGEL

    @property
    def techniek_examens(self) -> dict[int, int]:
        """Exam candidates in the techniek sector per school year, from the data break on
        (earlier years had candidates without a sector): the trend line of the pages."""
        e = self.examens
        if e is None or "techniek" not in e or self.vergelijkbaar_vanaf is None:
            return {}
        return {int(j[:4]): int(w) for j, w in e["techniek"].items() if j >= self.vergelijkbaar_vanaf}

    def als_dict(self) -> dict:
        def rijen(t):
            return {str(i): {k: (None if pd.isna(v) else (round(float(v), 6) if isinstance(v, float) else int(v)))
                             for k, v in r.items()} for i, r in t.iterrows()}

        return {"leerlingen": rijen(self.leerlingen),
                "examenkandidaten": rijen(self.examens) if self.examens is not None else None,
                "sectoren_vergelijkbaar_vanaf": self.vergelijkbaar_vanaf, "bron": self.bron,
                "verandering_techniek": self.verandering,
                "techniek": rijen(self.techniek) if self.techniek is not None else None,
                "onderdrukt_regel": self.onderdrukt_regel}


@dataclass(frozen=True)
class Selectie:
    """Every figure of one selection. Views format and draw it; they never add, filter or forecast."""

    titel: str
    regios: tuple[dict, ...]  # regionummer, regionaam
    samengesteld: bool  # loose vestigingen (region builder)
    jaar: int
    teldatum: str
    indeling: dict  # soort, label, bron
    definitie: rules.Definitie
    demo: bool
    bronnen: tuple[str, ...]  # the student files of the teldatum
    kern: Kerncijfers
    vestigingen: tuple[Vestiging, ...]
    niet_deelnemend: tuple[str, ...]  # the indeling's vestigingen of these regions without lj 3-4 students
    niet_ingedeeld: tuple[dict, ...]  # vestigingen with lj 3-4 students that no region of the indeling has
    vmbo_mbo2: int  # students of these vestigingen in DUO's VMBO-MBO2 lj 3-6 (reported apart, not counted)
    dekking: tuple[dict, ...]  # per technical profiel: distance of the young residents to the nearest offer
    dekking_bron: dict  # methode, bronnen, weggelaten (empty when the data has no residents per PC4)
    overlap: tuple[dict, ...]  # a composition's vestigingen the indeling puts in another region
    regels: tuple[regelmodel.Regeluitkomst, ...]
    arbeidsmarktregios: tuple[dict, ...]
    profiel_x_leerweg: pd.DataFrame
    per_regio: tuple[tuple[int, str, Kerncijfers], ...]  # several regions ticked: each; none: all regions
    trend: Trend
    prognose: Prognosebundel | None
    arbeidsmarkt: arbeidsmarktmodel.Arbeidsmarktbeeld
    vergelijking: pd.DataFrame | None  # the selected regions, the median region and the country
    rangorde: pd.DataFrame  # every region and the country (the ranking)
    portret: Portret = field(repr=False)  # the rows behind the figures (exports read DUO's cells by it)

    @property
    def landelijk(self) -> bool:
        return not self.regios and not self.samengesteld

    @property
    def ronde(self) -> rules.Ronde:
        """The regulation round the bundle applies: its amounts and its word for a region below
        the threshold (techniekluw, techniekarm), the same on every surface."""
        return rules.ronde_van(self.definitie)

    @property
    def codes(self) -> list[str]:
        return [v.vestigingscode for v in self.vestigingen]

    def regel(self, naam: str) -> regelmodel.Regeluitkomst:
        return next(r for r in self.regels if r.regel == naam)

    def toelichting(self) -> list[str]:
        """Who is counted where, in the words every surface prints: the vestigingen the example
        indeling placed (and how), those with students that no region has, and the students
        kept apart (VMBO-MBO2)."""
        uit = []
        t = self.indeling.get("toegewezen") or []
        if not self.landelijk:  # a region's pages name only the placements among its own vestigingen
            eigen = set(self.codes)
            t = [r for r in t if r["vestigingscode"] in eigen]
        if t:
            per = {}
            for r in t:
                per[r["methode"]] = per.get(r["methode"], 0) + 1
            uit.append(f"{getal(len(t))} vestiging(en) zonder adres in DUO's vestigingenbestand zijn ingedeeld: "
                       + ", ".join(f"{getal(n)} via {METHODE_KORT[m]}" for m, n in per.items()) + " ("
                       + "; ".join(f"{r['vestigingscode']} → regio {r['regionummer']}" for r in t[:12])
                       + (" …" if len(t) > 12 else "") + ").")
        if self.niet_ingedeeld:
            n = sum(v["leerlingen"] for v in self.niet_ingedeeld)
            tech = sum(v["techniek"] for v in self.niet_ingedeeld)
            uit.append(f"Niet ingedeeld: {getal(len(self.niet_ingedeeld))} vestiging(en) met {getal(n)} leerlingen "
                       f"in leerjaar 3-4 ({getal(tech)} in technische profielen) horen bij geen regio van de "
                       f"{self.indeling['label']}: "
                       + "; ".join(f"{v['vestigingscode']} {v['vestigingsnaam']}, {v['plaatsnaam']} "
                                   f"({getal(v['leerlingen'])})" for v in self.niet_ingedeeld[:15])
                       + (" …" if len(self.niet_ingedeeld) > 15 else "") + ".")
        else:
            uit.append("Niet ingedeeld: geen; elke vestiging met leerlingen in leerjaar 3-4 hoort bij een regio.")
        if self.vmbo_mbo2:
            uit.append(f"Apart gehouden: {getal(self.vmbo_mbo2)} leerlingen van deze vestigingen volgen de doorlopende "
                       "leerroute vmbo-mbo 2 (DUO: VMBO-MBO2 lj 3-6). Zij zitten in geen vmbo-leerweg en tellen "
                       "niet mee in de leerlingen per leerweg en het techniekaandeel.")
        return uit

    def dekking_toelichting(self) -> str:
        """The sentence under the coverage table, on every surface: method, who counts, sources,
        and what was left out."""
        if not self.dekking:
            return ""
        b, e = self.dekking_bron, self.dekking[0]
        w = b["weggelaten"]
        tekst = (f"{b['methode']} {b['eenheid']} in de selectie: {getal(e['inwoners'])} in {getal(e['pc4'])} "
                 f"{'combinaties van vestiging en postcodegebied' if b['wie'] == 'leerlingen' else 'postcodegebieden'}. "
                 f"Afstanden zijn hemelsbreed, geen reistijd. Bron: {b['bron']} ({', '.join(b['bronnen'])}); aanbod: "
                 f"DUO, teldatum {self.teldatum}.")
        if w["zonder_middelpunt"]["pc4"]:
            tekst += (f" Niet meegeteld: {getal(w['zonder_middelpunt']['pc4'])} postcodegebieden zonder bekend "
                      f"middelpunt ({getal(w['zonder_middelpunt']['inwoners'])} "
                      f"{'leerlingen' if b['wie'] == 'leerlingen' else 'jongeren'}).")
        if w.get("onderdrukt"):
            tekst += f" {getal(w['onderdrukt'])} cellen met minder dan 5 leerlingen (<5) zijn door DUO onderdrukt en niet meegeteld."
        if self.demo:
            tekst += " DEMODATA: fictieve scholen."
        return tekst

    def mogelijke_penvoerders(self) -> list[str]:
        return [v.vestigingscode for v in self.vestigingen if v.kan_penvoerder_zijn]

    def als_dict(self) -> dict:
        """What `regioportret portret --json` prints."""
        return {
            "titel": self.titel, "teldatum": self.teldatum, "jaar": self.jaar,
            "regios": [dict(r) for r in self.regios], "samengesteld": self.samengesteld,
            "indeling": self.indeling, **self.kern.als_dict(), "definitie": self.definitie.als_dict(),
            "ronde": self.ronde.naam, "drempelterm": self.ronde.arm_term,
            "profielnamen": rules.PROFIELNAMEN,
            "vestigingen": [asdict(v) for v in self.vestigingen], "niet_deelnemend": list(self.niet_deelnemend),
            "niet_ingedeeld": [dict(v) for v in self.niet_ingedeeld], "vmbo_mbo2": self.vmbo_mbo2,
            "dekking": [dict(d) for d in self.dekking], "dekking_bron": dict(self.dekking_bron),
            "overlap": [dict(o) for o in self.overlap],
            "regels": [r.als_dict() for r in self.regels], "arbeidsmarktregios": [dict(a) for a in self.arbeidsmarktregios],
            "profiel_x_leerweg": {r: {k: int(v) for k, v in rij.items()}
                                  for r, rij in self.profiel_x_leerweg.iterrows()},
            "per_regio": [{"regionummer": nr, "regionaam": naam, **k.als_dict()} for nr, naam, k in self.per_regio],
            "trend": self.trend.als_dict(),
            "prognose": self.prognose.als_dict() if self.prognose is not None else None,
            "arbeidsmarkt": self.arbeidsmarkt.als_dict(),
            "vergelijking": _vergelijking_dict(self.vergelijking),
            "demo": self.demo, "bronnen": list(self.bronnen),
        }


# -- building the bundle ------------------------------------------------------------------------
def regio_kerncijfers(b: Basis, definitie: str | None = None) -> dict[int, Kerncijfers]:
    """The key figures of every region of the indeling (the national table, the breakdown of a
    multi-region selection): computed once per dataset, the same definition as a selection's."""
    return {q.regios[0]["regionummer"]: Kerncijfers.van(q) for q in b.portretten(definitie)}


METHODE_KORT = {"brin": "dezelfde instelling (BRIN)", "gemeente": "de gemeente", "locatie": "de locatie"}
MAX_TITEL_REGIOS = 3  # more regions: the heading counts them instead of naming them


def titel_van(regios: tuple[dict, ...] | list[dict], alle: int) -> str:
    """A heading that stays short: up to three regions by name, more by count and numbers."""
    if not regios:
        return "Alle vestigingen in de data"
    if len(regios) <= MAX_TITEL_REGIOS:
        return "; ".join(f"Regio {r['regionummer']} – {r['regionaam']}" for r in regios)
    nummers = [str(r["regionummer"]) for r in regios]
    if len(regios) == alle:
        return f"Alle {len(regios)} regio's"
    return f"{len(regios)} regio's: " + ", ".join(nummers[:10]) + (" …" if len(nummers) > 10 else "")


def _apart(apart: pd.Series | None, codes: set[str] | None) -> int:
    """VMBO-MBO2 students of these vestigingen (all when codes is None)."""
    if apart is None or apart.empty:
        return 0
    return int(apart.sum() if codes is None else apart[apart.index.isin(codes)].sum())


def _dekking(d: dict | None, codes: set[str] | None) -> tuple[dict, ...]:
    """Coverage of the selection's young residents (PC4s whose nearest vestiging it has)."""
    return () if d is None else dekkingmodel.samenvatting(d["tabel"], d["aanbod"], codes)


def _dekking_bron(d: dict | None) -> dict:
    if d is None:
        return {}
    return {"methode": d["methode"], "wie": d["wie"], "eenheid": d["eenheid"], "bron": d["bron"],
            "bronnen": list(d["bronnen"]), "weggelaten": dict(d["weggelaten"]),
            "grenzen_km": list(dekkingmodel.GRENZEN_KM), "leeftijd": list(dekkingmodel.LEEFTIJD)}


def niet_ingedeeld(b: Basis) -> tuple[dict, ...]:
    """Vestigingen with students on the teldatum that no region of the indeling has: listed on
    every surface, so no student silently drops out of the regions."""
    t = b.tabel[b.tabel["regionummer"].isna()]
    if t.empty:
        return ()
    tech = t["profiel"].isin(rules.TECHNISCHE_PROFIELEN)
    g = t.assign(techniek=t["aantal"].where(tech, 0)).groupby("vestigingscode").agg(
        vestigingsnaam=("vestigingsnaam", "first"), plaatsnaam=("plaatsnaam", "first"),
        leerlingen=("aantal", "sum"), techniek=("techniek", "sum"))
    return tuple({"vestigingscode": str(c), "vestigingsnaam": str(r.vestigingsnaam), "plaatsnaam": str(r.plaatsnaam),
                  "leerlingen": int(r.leerlingen), "techniek": int(r.techniek)} for c, r in g.iterrows())


def _tekst(x) -> str:
    return "" if x is None or (isinstance(x, float) and pd.isna(x)) else str(x)


def _vestigingen(p: Portret, adressen: pd.DataFrame | None) -> tuple[Vestiging, ...]:
    t = p.tabel
    if t.empty:
        return ()
    codes = sorted(t["vestigingscode"].unique())
    kolommen = ["vestigingsnaam", "straat", "huisnummer", "postcode", "plaatsnaam", "gemeentenaam"]
    adres = (adressen.drop_duplicates("vestigingscode").set_index("vestigingscode")
             .reindex(index=codes, columns=kolommen) if adressen is not None
             else pd.DataFrame(index=codes, columns=kolommen))
    adres = adres.astype(object).where(adres.notna(), "").astype(str).to_dict("index")
    penvoerders = set(regelmodel.penvoerders(p))
    per_lw = (t.pivot_table(index="vestigingscode", columns="leerweg", values="aantal", aggfunc="sum", fill_value=0)
              .reindex(index=codes, columns=list(rules.LEERWEGEN), fill_value=0).astype(int).to_dict("index"))
    tech = t[t["profiel"].isin(rules.TECHNISCHE_PROFIELEN)]
    paren = [(pr, lw) for pr in rules.TECHNISCHE_PROFIELEN for lw in rules.BEROEPSGERICHTE_LEERWEGEN]
    tech = (tech.pivot_table(index="vestigingscode", columns=["profiel", "leerweg"], values="aantal", aggfunc="sum",
                             fill_value=0).reindex(index=codes, columns=pd.MultiIndex.from_tuples(paren), fill_value=0)
            .astype(int))
    tech = dict(zip(codes, tech.to_numpy().tolist(), strict=True))
    meta = t.groupby("vestigingscode")[["vestigingsnaam", "plaatsnaam", "regionummer"]].first().to_dict("index")
    onderdrukt = t.groupby("vestigingscode")["onderdrukt"].sum().astype(int).to_dict()
    uit = []
    for code in codes:
        a, m, lw = adres[code], meta[code], per_lw[code]
        waarden = iter(tech[code])
        techniek = {pr: {k: next(waarden) for k in rules.BEROEPSGERICHTE_LEERWEGEN} for pr in rules.TECHNISCHE_PROFIELEN}
        per_profiel = {pr: sum(x.values()) for pr, x in techniek.items()}
        uit.append(Vestiging(
            vestigingscode=code, naam=a["vestigingsnaam"] or _tekst(m["vestigingsnaam"]),
            adres=f"{a['straat']} {a['huisnummer']}".strip(), postcode=a["postcode"],
            plaats=a["plaatsnaam"] or _tekst(m["plaatsnaam"]), gemeente=a["gemeentenaam"],
            regionummer=None if pd.isna(m["regionummer"]) else int(m["regionummer"]),
            leerlingen=lw, totaal=sum(lw.values()), techniek=techniek, techniek_per_profiel=per_profiel,
            techniek_totaal=sum(per_profiel.values()), onderdrukt=onderdrukt.get(code, 0),
            kan_penvoerder_zijn=code in penvoerders))
    return tuple(uit)


def _trend(g: Grondslag, codes: list[str] | None) -> Trend:
    e = None if g.examens is None else examenkandidaten_per_sector(g.examens, codes)
    reeks, label = g.techniek
    v = per_jaar = None
    if reeks is not None:
        r = reeks if codes is None else reeks[reeks["vestigingscode"].isin(codes)]
        if len(r):
            t = verandering(r)
            rij = {k: t[k].iloc[0] for k in t.columns}  # per column: a row of mixed columns turned years into 2015.0
            v = {"reeks": label, **{k: (str(w) if k in ("van", "tot") else
                                        (None if pd.isna(w) else float(w) if k in ("punt", "laag", "hoog")
                                         else int(w))) for k, w in rij.items()}}
            per_jaar = totaal_per_jaar(r)
    return Trend(leerlingen_trend(g.trend, codes), e, vergelijkbaar_vanaf(e), verandering=v, techniek=per_jaar)


def _met_totalen(t: pd.DataFrame) -> pd.DataFrame:
    """Profiel x leerweg with a 'totaal' column and a 'Totaal' row."""
    t = t.copy()
    t["totaal"] = t.sum(axis=1)
    t.loc["Totaal"] = t.sum(axis=0)
    return t.astype("int64")


def _backtest_tabel(b: pp.Basis, niveau: str, reeks: str) -> tuple[pd.DataFrame, int]:
    """MAPE per model (the method, then every baseline) and horizon at one level, with the
    method's ratio to the best baseline as the last row; and the most forecasts in a cell."""
    f = b.fouten[(b.fouten["reeks"] == reeks) & (b.fouten["niveau"] == niveau)]
    if f.empty:
        return pd.DataFrame(), 0
    t = f.pivot(index="model", columns="h", values="mape")
    t = t.reindex(["model", *[m for m in pg.BASISLIJN_NAMEN if m in t.index]])
    t.loc["ratio_best_baseline"] = f[f["model"] == "model"].set_index("h")["ratio_best_baseline"]
    return t, int(f["n"].max())


def _prognose(b: pp.Basis | None, codes: list[str] | None) -> Prognosebundel | None:
    if b is None:
        return None
    p = pp.prognose(b, codes)
    doelen = [r for r in pp.DOELEN[b.soort] if r in b.voorspelling]
    fout = {r: p.fout(3, r) for r in doelen}  # the backtest error at this selection's level, three years ahead
    tabellen = {r: _backtest_tabel(b, p.niveau, r) for r in doelen}
    reeksen = {naam: _reeks(naam, pp.reeks_label(naam, b.soort), p.reeks(naam),
                            {int(j): heel(w) for j, w in p.historie[naam].dropna().items()})
               for naam in p.historie.columns}
    hoofd = reeksen[b.hoofdreeks]
    laatste = hoofd.historie.get(b.oorsprong)
    na4 = next((x.punt for x in hoofd.prognose if x.h == 4), None)
    groei = (na4 / laatste - 1) if laatste and na4 is not None else None
    lj34 = {}
    if p.lj34 is not None and len(p.lj34):
        for naam, t in p.lj34.groupby("reeks", sort=False):
            t = t.set_index("jaar")
            t0 = int(t.index[0])
            lj34[naam] = _reeks(naam, pp.LJ34_LABEL[naam], t.iloc[1:], {t0: heel(t["punt"].iloc[0])})
    return Prognosebundel(
        soort=b.soort, omschrijving=pp.SOORTEN[b.soort], methode=b.methode, toont=b.getoond,
        oorsprong=b.oorsprong, niveau=p.niveau,
        interval=tuple(pg.INTERVAL), hoofdreeks=b.hoofdreeks, reeksen=reeksen, backtest_h3=fout,
        backtest={r: t for r, (t, _) in tabellen.items() if len(t)},
        backtest_n=max((n for _, n in tabellen.values()), default=0), bronnen=tuple(b.bronnen),
        bevolking=b.bevolking, demo=b.demo,
        vestigingen=p.vestigingen, groei=groei, leerlingen=lj34,
        leerlingen_methode=b.lj34_methode if lj34 else None)


def _reeks(naam: str, label: str, t: pd.DataFrame, historie: dict[int, int]) -> Reeks:
    """A series of the bundle: points rounded once to whole students, and its band's level."""
    punten = tuple(Punt(int(j), int(r["h"]), heel(r["punt"]), heel(r["onder"]), heel(r["boven"]))
                   for j, r in t.iterrows())
    niveaus = t["band_niveau"].dropna() if "band_niveau" in t else pd.Series(dtype=object)
    return Reeks(naam, label, historie, punten, str(niveaus.iloc[0]) if len(niveaus) else None)


def _vergelijking(tabel: pd.DataFrame, regios: list[int]) -> pd.DataFrame | None:
    if not regios:
        return None
    regio = tabel[tabel.index != 0]
    rijen = [tabel.loc[[nr]].assign(rij=f"regio {nr} {tabel.at[nr, 'regionaam']}") for nr in regios
             if nr in tabel.index]
    mediaan = regio.drop(columns="regionaam").median().to_frame().T.assign(regionaam="", rij="mediaan van de regio's")
    land = tabel.loc[[0]].assign(rij=tabel.at[0, "regionaam"])
    d = pd.concat([*rijen, mediaan, land]).set_index("rij")
    d.attrs = dict(tabel.attrs)
    return d


def _vergelijking_dict(d: pd.DataFrame | None) -> list[dict] | None:
    if d is None:
        return None
    return [{"rij": i, **{k: (None if pd.isna(v) else (round(float(v), 6) if not isinstance(v, str) else v))
                          for k, v in r.items()}} for i, r in d.iterrows()]


def maak(g: Grondslag, regios: list[int] | None = None, vestigingen: list[str] | None = None,
         nummer: int | None = None, naam: str | None = None, definitie: str | None = None) -> Selectie:
    """The bundle of `regios` (their union), or of loose `vestigingen` (with the builder's
    `nummer` and `naam`), or of the whole country when neither is given."""
    regios = list(regios or [])
    samengesteld = vestigingen is not None
    ind = g.indeling
    if samengesteld:
        nummer = int(nummer) if nummer is not None else 0
        p = g.basis.samenstelling(list(vestigingen), nummer, naam or "Nieuwe regio", definitie)
        titel = f"Regio {nummer} – {naam or 'Nieuwe regio'} (samengesteld)"
        niet = sorted(set(vestigingen) - set(p.tabel["vestigingscode"]))
    else:
        p = g.basis.portret(regios, definitie)
        titel = titel_van(p.regios, len(g.per_regio))
        in_indeling = set(ind.tabel.loc[ind.tabel["regionummer"].isin(regios), "vestigingscode"]) if regios else set()
        niet = sorted(in_indeling - set(p.tabel["vestigingscode"]))
    codes = sorted(p.tabel["vestigingscode"].unique())
    landelijk = not regios and not samengesteld
    alle_codes = set(codes) | set(niet)  # the selection's vestigingen, with or without lj 3-4 students
    regels = regelmodel.regels(p)
    over = ()
    if samengesteld:
        over = tuple(bouwer.overlap(list(vestigingen), ind, eigen=nummer).to_dict("records"))
        regels = [regelmodel.een_regio_per_vestiging(over, ind.label) if r.regel == "een_regio_per_vestiging" else r
                  for r in regels]
    if len(regios) > 1 or landelijk:
        nummers = regios or list(g.per_regio)
        per_regio = tuple((nr, ind.naam(nr), g.per_regio[nr]) for nr in nummers)
    else:
        per_regio = ()
    am = g.arbeidsmarkt
    am_regios = regelmodel.arbeidsmarktregios(p, p.arbeidsmarkt)
    beeld = arbeidsmarktmodel.beeld(p, am.get("cbs"), am.get("uwv"), am.get("doorstroom"), am_regios,
                                    am.get("bronnen", {}))
    return Selectie(
        titel=titel, regios=tuple(dict(r) for r in p.regios), samengesteld=samengesteld, jaar=p.jaar,
        teldatum=p.teldatum, indeling=ind.als_dict(), definitie=p.definitie, demo=p.demo, bronnen=tuple(p.bronnen),
        kern=Kerncijfers.van(p), vestigingen=_vestigingen(p, g.adressen), niet_deelnemend=tuple(niet),
        niet_ingedeeld=g.niet_ingedeeld, vmbo_mbo2=_apart(g.apart, None if landelijk else alle_codes),
        dekking=_dekking(g.dekking, None if landelijk else (set(vestigingen) if samengesteld else set(
            ind.tabel.loc[ind.tabel["regionummer"].isin(regios), "vestigingscode"]))),
        dekking_bron=_dekking_bron(g.dekking),
        overlap=over, regels=tuple(regels), arbeidsmarktregios=tuple(am_regios),
        profiel_x_leerweg=_met_totalen(p.profiel_x_leerweg()), per_regio=per_regio,
        vergelijking=_vergelijking(g.vergelijking, regios), rangorde=g.vergelijking,
        trend=_trend(g, None if landelijk else codes), arbeidsmarkt=beeld,
        prognose=_prognose(g.prognose, None if landelijk else codes), portret=p)
