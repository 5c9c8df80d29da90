"""The forecast of a selection (regions, one vestiging or the country), with its band and
the backtest behind it.

`bereken(...)` does the work once per dataset and indeling: the forecast per vestiging for
every series, the backtest, the band factors. The context keeps it in the store's disk cache,
so a dashboard kernel only filters and sums. `prognose(basis, vestigingen)` is that sum.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import rules
from ..errors import SelectieFout
from ..format import getal, procent, verandering
from . import backtest as bt
from . import demografie
from . import prognose as pg

VERSIE = 1
SOORTEN = {
    "leerlingen": "leerlingen leerjaar 3-4 (vmbo)",
    "examenkandidaten": "examenkandidaten vmbo",
}
MENGING = (f"Waar de invoer een schatting is (de brugjaren, de geboortejaren) telt de prognose per regio voor "
           f"{round(100 * (1 - pg.MENGING))}% de eigen uitkomst en voor {round(100 * pg.MENGING)}% het aandeel van de "
           f"regio in het landelijke totaal over de laatste {pg.VENSTER} jaar, maal de landelijke prognose: zo weegt "
           "één toevallig hoog of laag jaar minder zwaar. Binnen de regio blijft de verdeling over de vestigingen gelijk.")
INSTROOM_BEVOLKING = (", maal de grootte van het geboortejaar dat dan in leerjaar 1 komt (12 jaar eerder geboren) "
                      f"tegenover die van de geboortejaren van die {pg.VENSTER} jaar, volgens {{invoer}} ({{bron}}); "
                      "na het laatste getelde geboortejaar blijft die "
                      "verhouding staan")
METHODE = {
    "leerlingen": (
        "Cohortmethode per vestiging: de instroom in leerjaar 1 is het gemiddelde van de laatste "
        f"{pg.VENSTER} jaar{{bevolking}}; de doorstroom van leerjaar 1 naar 2, 2 naar 3 en 3 naar 4 is het "
        f"gemiddelde van de laatste {pg.VENSTER} overgangen. De verdeling over leerwegen, techniek en profielen "
        f"volgt het aandeel in de laatste {pg.VENSTER} jaar."
    ),
    "examenkandidaten": (
        "Cohortmethode op het leerlingenbestand van de teldatum na het laatste examenjaar: de leerlingen in "
        "leerjaar 4 doen het volgende schooljaar examen, die in leerjaar 3 het jaar daarna, brugjaar 2 en 1 "
        "(maal het vmbo-aandeel van leerjaar 3) de jaren daarna; verder vooruit blijft het laatste niveau. De "
        "kans om van een leerjaar het examen te halen komt uit eerdere leerlingenbestanden (per vestiging, "
        "naar de regio en het land getrokken als de vestiging klein is); zonder eerder bestand is die 1. "
        "Technische kandidaten (sector techniek in BB, KB en GL, zonder TL) komen zo uit de leerlingen in de vijf "
        "technische profielen (leerjaar 4, dan 3) en de brugjaren maal het technische aandeel van leerjaar 3. Wie "
        "nog niet in leerjaar 4 zit, telt mee naar de mate waarin het technische aandeel in het bestand van leerjaar 3 "
        "naar 4 daalt of stijgt: onderweg verlaten leerlingen een technisch profiel. De "
        f"verdeling over de andere sectoren volgt het aandeel in de laatste {pg.VENSTER} jaar. " + MENGING
    ),
}
DEMOGRAFIE = ("Demografische methode: de laatste telling per vestiging maal de groei van de geboortejaren die in dat "
              "jaar examen doen (wie in leerjaar 4 zit, is 15 jaar eerder geboren), volgens {invoer}. {invoer_methode} "
              "De verhouding tussen de reeksen "
              "blijft die van het laatste jaar. " + MENGING)
ONDERDEEL = {"cohort": "de cohortmethode", "demografie": "de demografische methode"}
LJ34_METHODE = {
    "demografie": ("Leerlingen in leerjaar 3-4 na het leerlingenbestand van {t0}: de telling van {t0} per vestiging "
                   "maal de groei van de geboortejaren in leerjaar 3 en 4 (14 en 15 jaar eerder geboren), volgens "
                   "{invoer}; technische leerlingen groeien mee (hun aandeel blijft dat van {t0}). {invoer_methode} "
                   "Per regio telt de uitkomst voor "
                   f"{round(100 * (1 - pg.MENGING))}%, het aandeel van de regio in {{t0}} maal de landelijke uitkomst "
                   f"voor {round(100 * pg.MENGING)}%, zoals bij de examenkandidaten. Over de jaren niet getoetst op leerlingen: de "
                   "data heeft maar één leerlingenbestand. De band komt uit de backtest van dezelfde demografische "
                   "methode op de examenkandidaten (alle voor de leerlingen, techniek voor de technische)."),
    "bestand": ("Leerlingen in leerjaar 3-4 volgens het leerlingenbestand van {t0}, één en twee jaar verder: leerjaar "
                "3 gaat naar 4, brugjaar 2 en 1 met het vmbo-aandeel naar 3. De technische leerlingen van leerjaar 3 "
                "gaan mee naar 4; die uit de brugjaren krijgen het technische aandeel van leerjaar 3. In leerjaar 4 "
                "tellen ze mee naar de mate waarin het technische aandeel in het bestand van leerjaar 3 naar 4 daalt of "
                "stijgt, zoals bij de examenkandidaten. Niet getoetst: er is geen later "
                "leerlingenbestand om mee te vergelijken, en zonder inwoners naar leeftijd is er geen backtest die een "
                "band geeft."),
}
BEREIK = ("Het bereik om deze lijn is daarom geen band uit een backtest maar komt uit de spreiding van de invoer: "
          "hoeveel het vmbo-aandeel en het technische aandeel van een jaargroep verschillen tussen leerjaar 3 en 4 in "
          "het bestand van {t0}, over de regio's (het 10%- tot het 90%-punt rond de mediaan: vmbo-aandeel {vmbo}, "
          "technisch aandeel {techniek}). Het geschatte deel (de brugjaren) beweegt met het vmbo-aandeel, alle "
          "technische leerlingen met het technische aandeel (ook de getelde: hoeveel er technisch blijven, is "
          "geschat); twee jaar vooruit is de spreiding maal de wortel "
          "uit 2. Het is geen kans: het laat zien hoeveel de uitkomst hangt aan die twee aandelen.")
KRUISCONTROLE = (
    "Kruiscontrole over {regios} regio's: wie het aantal leerlingen in leerjaar 3-4 van {t0} per regio schat uit de "
    "inwoners van die leeftijd maal de deelname van de andere helft van de regio's, zit gemiddeld {helft_totaal} naast "
    "(technische leerlingen: {helft_techniek}); met de deelname van regio's in hetzelfde landsdeel {landsdeel_totaal} "
    "({landsdeel_techniek}), met de landelijke deelname {land_totaal} ({land_techniek}). De deelname verschilt dus "
    "sterk per regio; daarom houdt de methode het eigen niveau van elke vestiging en gebruikt ze de inwoners alleen "
    "voor de groei van de geboortejaren.")
GEEN_BESTAND = (
    "Er is geen leerlingenbestand van teldatum {teldatum} (het jaar na het laatste examenjaar {oorsprong}) en "
    "geen telling van de inwoners naar leeftijd van vóór dat jaar. De prognose hieronder is daarom de laatste "
    "bekende waarde per vestiging: een eenvoudige basislijn, geen methode. {getoetst}"
)
EXAMEN_BEREIK = {"cohort": (
    "Voor de cohortmethode heeft de backtest op deze data te weinig fouten voor een band, dus het bereik om de "
    "examenkandidaten is geen band uit een backtest maar komt uit de spreiding van de invoer: hoeveel het "
    "vmbo-aandeel en het technische aandeel van een jaargroep verschillen tussen leerjaar 3 en 4 in het bestand van {teldatum}, over de "
    "regio's (het 10%- tot het 90%-punt rond de mediaan: vmbo-aandeel {vmbo}, technisch aandeel {techniek}). De "
    "getelde leerlingen van leerjaar 4 en 3 liggen vast; de brugjaren bewegen met het vmbo-aandeel (brugjaar 1 maal "
    "de wortel uit 2), de technische leerlingen uit leerjaar 3 en de brugjaren ook met het technische aandeel; na "
    "vier jaar groeit de spreiding met de wortel uit (jaren vooruit / 4). Of iedereen het examen haalt, kan één "
    "bestand niet zeggen: dat zit niet in het bereik."), "demografie": (
    "Voor de demografische methode heeft de backtest op deze data te weinig fouten voor een band (zij kan alleen "
    "lopen vanaf het jaar waarin de inwoners zijn geteld), dus het bereik om de examenkandidaten is geen band uit "
    "een backtest maar komt uit de spreiding van de invoer: hoeveel de deelname (kandidaten per inwoner van hun geboortejaar) per regio van het ene jaar op het andere veranderde in de "
    "laatste {jaren} jaar (het 10%- tot het 90%-punt: {spreidingen}), maal de wortel uit het aantal jaren vooruit."),
    "laatste_waarde": (
    "Ook de laatste waarde heeft in de backtest op deze data te weinig fouten voor een band. Het bereik komt daarom uit "
    "de spreiding van wat zij vasthoudt, het niveau: hoeveel de reeks per regio van het ene jaar op het andere "
    "veranderde in de laatste {jaren} jaar (het 10%- tot het 90%-punt: {spreidingen}), maal de wortel uit het aantal "
    "jaren vooruit.")}
DOORSTROOM_BEREIK = (
    "De backtest heeft op deze data te weinig fouten voor een band. Het bereik om de prognose komt daarom uit de "
    "spreiding van de invoer: hoeveel de doorstroom van leerjaar 2 naar 3 en van 3 naar 4 per regio van het ene jaar "
    "op het andere afweek van haar gemiddelde over de laatste {jaren} jaar (het 10%- tot het 90%-punt: {spreiding}), "
    "maal de wortel uit het aantal jaren vooruit.")
SPREIDING_LABEL = {"kandidaten": "alle kandidaten", "techniek": "techniek"}
BAND_TEKST = (f"De band loopt van het {round(100 * pg.INTERVAL[0])}%- tot het {round(100 * pg.INTERVAL[1])}%-punt "
              "van de fouten in de backtest van wat hier getoond wordt (op hetzelfde niveau en dezelfde horizon, "
              "alleen uit eerdere jaren), en omvat altijd de prognose zelf. Ligt de lijn niet midden in de band, dan "
              "zat de prognose er in het verleden vaker in één richting naast. Met minder dan "
              f"{bt.MIN_FOUTEN} fouten op een niveau en horizon is er geen band.")
MODEL_NAMEN = {"model": "deze methode", **pg.BASISLIJN_NAMEN, "duo": "DUO-prognose",
               "ratio_best_baseline": "verhouding tot beste basislijn"}
DOELEN = {"leerlingen": ["totaal", "techniek"], "examenkandidaten": ["kandidaten", "techniek"]}
HOOFDREEKS = {"leerlingen": "totaal", "examenkandidaten": "kandidaten"}
REEKS_LABEL = {
    "totaal": "vmbo leerjaar 3-4", "techniek": "technische profielen", "kandidaten": "examenkandidaten vmbo",
    **{lw: f"leerweg {lw}" for lw in rules.LEERWEGEN},
    **{p: rules.PROFIEL_AFKORTING[p] for p in rules.TECHNISCHE_PROFIELEN},
}


LJ34_LABEL = {"totaal": "leerlingen vmbo leerjaar 3-4", "techniek": "leerlingen in technische profielen (leerjaar 3-4)"}


EXAMEN_LABEL = {"techniek": "examenkandidaten techniek (BB, KB, GL; zonder TL)"}


def reeks_label(reeks: str, soort: str = "leerlingen") -> str:
    if soort == "examenkandidaten" and reeks in EXAMEN_LABEL:
        return EXAMEN_LABEL[reeks]
    return REEKS_LABEL.get(reeks, reeks.split(":", 1)[-1])


@dataclass
class Basis:
    """Forecast per vestiging for every series, and the backtest of the method."""

    soort: str  # 'leerlingen' or 'examenkandidaten'
    oorsprong: int  # the last year with data
    historie: dict[str, pd.DataFrame]  # series -> year x vestiging
    voorspelling: dict[str, pd.DataFrame]  # series -> future year x vestiging
    voorspellingen: pd.DataFrame | None  # the backtest's long table; None when loaded without details
    fouten: pd.DataFrame  # bt.fouten
    factoren: pd.DataFrame  # bt.interval_factoren
    bevolking: str | None = None  # description of the population input, when used
    bronnen: list[str] = field(default_factory=list)
    demo: bool = False
    # exam soort: leerjaar 3-4 (all, technical) per vestiging after the newest student file:
    # {"methode": 'demografie' or 'bestand', "reeksen": {"totaal", "techniek": year x vestiging}}
    lj34: dict | None = None
    lj34_factoren: pd.DataFrame | None = None  # their band (the demographic backtest on the exam series)
    onderdelen: dict = field(default_factory=dict)  # backtest origin -> the part of the method that ran
    cohortjaren: list[int] = field(default_factory=list)  # teldatum years of the student files (exam soort)
    getoond: str = "model"  # what the forecast shows: 'model', or 'laatste_waarde' when the method cannot run
    backtest_oorsprongen: list[int] = field(default_factory=list)  # the origins the method was scored at
    dekking: pd.DataFrame | None = None  # bt.dekking_buiten_steekproef of what is shown
    # where what is shown has no band (too few backtest errors): the range from the spread of its
    # inputs, {"onder", "boven"} -> series -> future year x vestiging, "spreiding" and "soort"
    # (the part it belongs to: 'cohort', 'demografie', 'laatste_waarde' or 'doorstroom')
    bereik: dict | None = None

    @property
    def hoofdreeks(self) -> str:
        return HOOFDREEKS[self.soort]

    @property
    def methode(self) -> str:
        extra = INSTROOM_BEVOLKING.format(bron=self.bevolking, **demografie.invoer(self.bevolking)) \
            if self.bevolking and self.soort == "leerlingen" else ""
        tekst = METHODE[self.soort].format(bevolking=extra)
        if self.soort == "leerlingen":
            if self.bereik:  # one spread for every series
                tekst += " " + DOORSTROOM_BEREIK.format(
                    jaren=pg.TREND_JAREN, spreiding=next(iter(_spreiding_tekst(self.bereik["spreiding"]).values())))
            return tekst
        delen = {}
        for o, deel in sorted(self.onderdelen.items()):
            delen.setdefault(deel, []).append(str(o))
        getoetst = ("Getoetst (backtest) op oorsprong " + " en ".join(
            f"{', '.join(jaren)} ({ONDERDEEL[d]})" for d, jaren in delen.items()) + "."
            if delen else "De methode kon op deze data niet worden getoetst.")
        bereik = ""
        if self.bereik:
            tekst_s = _spreiding_tekst(self.bereik["spreiding"])
            bereik = " " + EXAMEN_BEREIK[self.bereik["soort"]].format(
                teldatum=self.oorsprong + 1, jaren=pg.TREND_JAREN, **tekst_s,
                spreidingen=", ".join(f"{SPREIDING_LABEL.get(k, k)} {t}" for k, t in tekst_s.items()))
        if self.getoond != "model":
            return GEEN_BESTAND.format(teldatum=self.oorsprong + 1, oorsprong=self.oorsprong,
                                       getoetst=f"{getoetst} {tekst}") + bereik
        nu = "demografie" if self.oorsprong + 1 not in self.cohortjaren else "cohort"
        return (f"Getoond vanaf {self.oorsprong + 1}: {ONDERDEEL[nu]}. {getoetst} {tekst} "
                + (DEMOGRAFIE.format(**demografie.invoer(self.bevolking)) if self.bevolking else "")).strip() + bereik

    @property
    def lj34_methode(self) -> str | None:
        if self.lj34 is None:
            return None
        t0 = int(next(iter(self.lj34["reeksen"].values())).index[0])
        tekst = LJ34_METHODE[self.lj34["methode"]].format(t0=t0, **demografie.invoer(self.bevolking))
        if "spreiding" in self.lj34:
            tekst += " " + BEREIK.format(t0=t0, **_spreiding_tekst(self.lj34["spreiding"]))
        k = self.lj34.get("kruiscontrole")
        if k is None or k.empty or k["mape"].isna().any():
            return tekst
        m = k.set_index(["reeks", "fit"])["mape"]
        return tekst + " " + KRUISCONTROLE.format(
            t0=t0, regios=getal(int(k["n"].max())), **{f"{fit}_{r}": procent(m[(r, fit)], 0) for r, fit in m.index})

    def reeksen(self) -> list[str]:
        return list(self.voorspelling)


def _spreiding_tekst(spreiding: dict[str, tuple[float, float]]) -> dict[str, str]:
    return {k: f"{verandering(o)} tot {verandering(b)}" for k, (o, b) in spreiding.items()}


def _jaren_met_data(t: pd.DataFrame) -> int:
    return int(t.notna().any(axis=1).sum())


def kies_soort(leerlingjaren: list[int], examenjaren: list[int]) -> str | None:
    """Students per leerjaar over several years when there are enough; else the exam series."""
    nodig = bt.MIN_JAREN + 1
    if len(leerlingjaren) >= nodig:
        return "leerlingen"
    if len(examenjaren) >= nodig:
        return "examenkandidaten"
    return None


def bereken(soort: str, reeks: pd.DataFrame, indeling, *, bevolking: pd.DataFrame | None = None,
            vestigingen: pd.DataFrame | None = None, bronnen: list[str] | None = None, demo: bool = False,
            voortgang=None, leerlingen: pd.DataFrame | None = None, po_leerlingen: pd.DataFrame | None = None,
            woonplaatsen: pd.DataFrame | None = None) -> Basis:
    """Build the Basis (no cache). `reeks`: the full student table for soort 'leerlingen', the
    exam table for 'examenkandidaten' (kies_soort picks). `bevolking` and `vestigingen`: the
    optional population input of the cohort method; `leerlingen`: the student table, whose
    teldatum files the exam forecast uses; `woonplaatsen`: DUO's pupils per vestiging by home
    postcode (where each vestiging draws from, demografie.herkomst)."""
    regio_van = indeling.tabel.set_index("vestigingscode")["regionummer"] if indeling is not None else None
    bevolking_tekst = None
    alleen = None
    if soort == "leerlingen":
        panelen = pg.leerlingen_panelen(reeks)
        per_v = _per_vestiging(bevolking, po_leerlingen, vestigingen, panelen["lj1"].columns, woonplaatsen)
        if per_v:
            bevolking_tekst = _bron_tekst(per_v)

        def met_bevolking(p, horizon, peiljaar):
            f = None if peiljaar is None else pg.instroom_factor(per_v[peiljaar], p["lj1"], horizon)
            return pg.cohort_model(p, horizon, f)

        def model(p, horizon):
            # A residents' count serves an origin only when it was made by then: no future leaks in.
            oorsprong = int(p["lj1"].index.max())
            return met_bevolking(p, horizon, max((j for j in per_v if j <= oorsprong), default=None))

        def model_nu(p, horizon):  # today's forecast: the newest count
            return met_bevolking(p, horizon, max(per_v, default=None))
    else:
        panelen, cohort, per_v, model, welke = examen_invoer(reeks, leerlingen, bevolking, vestigingen, regio_van,
                                                             po_leerlingen, woonplaatsen)
        if per_v:
            bevolking_tekst = _bron_tekst(per_v)
        model_nu = model
        # Every model is scored at the same origins: those where the method itself can run.
        alleen = [o for o in bt.oorsprongen(panelen["kandidaten"]) if welke(o)]
    modellen = {"model": model, **pg.BASISLIJNEN}
    if soort == "examenkandidaten":
        modellen["landelijke_groei"] = pg.landelijk_geschaald(model)
    v = bt.voorspellingen(panelen, modellen, DOELEN[soort], regio_van, voortgang=voortgang, alleen=alleen)
    # Nationally the national-growth baseline is the method's own total: no baseline there.
    v = v[~((v["model"] == "landelijke_groei") & (v["niveau"] == "landelijk"))]
    hoofd = panelen[HOOFDREEKS[soort]]
    oorsprong = int(hoofd.index[hoofd.notna().any(axis=1)].max())
    geschiedenis = {k: t.loc[:oorsprong] for k, t in panelen.items()}
    vooruit = model_nu(geschiedenis, pg.MAX_HORIZON)
    getoond, scoring, naam = "model", v, "model"
    lj34, lj34_factoren, onderdelen, bereik = None, None, {}, None
    if soort == "examenkandidaten":
        onderdelen = {int(o): welke(int(o)) for o in v["oorsprong"].unique()}
        deel = welke(oorsprong)
        if deel is None:
            # Neither a student file after the last exam year nor residents by age: what is shown is
            # the last value, and its band and coverage come from the last value's own backtest.
            getoond, naam = "laatste_waarde", "laatste_waarde"
            scoring = bt.voorspellingen(panelen, {naam: pg.BASISLIJNEN[naam]}, DOELEN[soort], regio_van)
            deel = naam
        else:  # the band of the part that is shown, from the origins where that part ran
            scoring = v[v["oorsprong"].map(onderdelen) == deel]
        factoren = bt.interval_factoren(scoring, model=naam)
        if deel and not set(DOELEN[soort]) <= set(factoren["reeks"]):  # no backtest: a range from the inputs
            bereik = (_examen_bereik(cohort[oorsprong + 1], regio_van, vooruit) if deel == "cohort" else
                      _spreiding_bereik({k: geschiedenis[k] for k in DOELEN[soort]}, oorsprong,
                                        per_v if deel == "demografie" else {}, regio_van, vooruit))
        if cohort:
            lj34, lj34_factoren = _leerlingen_na_data(leerlingen, cohort, regio_van, per_v, oorsprong, v, onderdelen)
    if soort == "leerlingen":
        factoren = bt.interval_factoren(scoring, model=naam)
        vooruit = {k: t for k, t in vooruit.items() if not k.startswith("lj")}
        if HOOFDREEKS[soort] not in set(factoren["reeks"]):  # too few backtest errors: a range from the inputs
            s = pg.doorstroom_spreiding(geschiedenis, regio_van)
            bereik = _schaal_bereik({r: s for r in vooruit}, vooruit, "doorstroom")
        geschiedenis = {k: t for k, t in geschiedenis.items() if not k.startswith("lj")}
    return Basis(soort=soort, oorsprong=oorsprong, historie=geschiedenis, voorspelling=vooruit,
                 voorspellingen=v, fouten=bt.fouten(v), factoren=factoren, bereik=bereik,
                 bevolking=bevolking_tekst, bronnen=sorted(set(bronnen or [])), demo=demo, getoond=getoond,
                 lj34=lj34, lj34_factoren=lj34_factoren, onderdelen=onderdelen,
                 cohortjaren=sorted(cohort) if soort == "examenkandidaten" else [],
                 backtest_oorsprongen=sorted(int(o) for o in v["oorsprong"].unique()),
                 dekking=bt.dekking_buiten_steekproef(scoring, model=naam))


def _per_vestiging(bevolking, po_leerlingen, vestigingen, eenheden, woonplaatsen) -> dict[int, pd.DataFrame]:
    """peiljaar -> the children per birth year around each vestiging (demografie.per_vestiging),
    with where its pupils live from a file no later than the teldatum after the count (so a
    forecast from an origin the count serves never sees a later file)."""
    tabellen, bron, _ = demografie.geboortecohorten(bevolking, po_leerlingen)
    per_v = {j: demografie.per_vestiging(c, vestigingen, eenheden, demografie.herkomst(woonplaatsen, j))
             for j, c in tabellen.items()}
    for t in per_v.values():
        t.attrs["bron"] = bron
    return per_v


def _bron_tekst(per_v: dict[int, pd.DataFrame]) -> str:
    nu = per_v[max(per_v)]
    return demografie.bron_tekst(nu.attrs.get("bron", demografie.BRON), max(per_v), nu.attrs.get("herkomst"))


def examen_invoer(examens: pd.DataFrame, leerlingen: pd.DataFrame | None, bevolking: pd.DataFrame | None,
                  vestigingen: pd.DataFrame | None, regio_van: pd.Series | None, po_leerlingen: pd.DataFrame | None = None,
                  woonplaatsen: pd.DataFrame | None = None):
    """The exam forecast's inputs and method: (panels, student files per teldatum, residents per
    birth year around each vestiging, the model, which part runs at an origin)."""
    panelen = pg.examen_panelen(examens)
    cohort = pg.cohorten(leerlingen) if leerlingen is not None else {}
    # Every vestiging of a student file is a unit too (its pupils sit the exam there later).
    eenheden = panelen["kandidaten"].columns.union(pd.Index(sorted({c for t in cohort.values() for c in t.index})))
    panelen = {k: _met_eenheden(t, eenheden) for k, t in panelen.items()}
    per_v = _per_vestiging(bevolking, po_leerlingen, vestigingen, eenheden, woonplaatsen)
    model, welke = pg.examen_methode(cohort, regio_van, per_v)
    return panelen, cohort, per_v, model, welke


def _met_eenheden(t: pd.DataFrame, eenheden: pd.Index) -> pd.DataFrame:
    """A panel over more vestigingen: 0 in the known years, unknown years stay unknown."""
    bekend = t.notna().any(axis=1)
    uit = t.reindex(columns=eenheden)
    uit.loc[bekend] = uit.loc[bekend].fillna(0.0)
    return uit


def _leerlingen_na_data(leerlingen, cohort, regio_van, per_v, oorsprong, v, onderdelen):
    """Leerjaar 3-4 (all and technical) per vestiging after the newest student file: rows are that
    file's year (the count) and the years after it; and the band factors that go with them.

    With residents by age: the count times the growth of the birth cohorts in each year's
    leerjaar 3 and 4, up to oorsprong + MAX_HORIZON; the band comes from the same demographic
    method's backtest on the exam series (kandidaten for all, techniek for the technical pupils).
    Without: one and two years on from the file's own cohorts (lj34_uit_bestand), with a range from
    the spread of its inputs instead of a band (pg.lj34_bereik). `per_v`:
    peiljaar -> residents per birth year around each vestiging (the newest is used: this is the
    forecast shown now, not a backtest)."""
    t0 = max(cohort)
    p = pg.leerlingen_panelen(leerlingen[leerlingen["jaar"] == t0])
    nu = {"totaal": p["totaal"].loc[[t0]], "techniek": p["techniek"].loc[[t0]]}
    if not per_v:
        def na_t0(t: pd.DataFrame, k: str) -> pd.DataFrame:
            return t.set_axis([t0 + 1, t0 + 2]).reindex(columns=nu[k].columns).fillna(0.0)

        vooruit = pg.lj34_uit_bestand(cohort[t0], regio_van)
        tabel = {k: pd.concat([nu[k], na_t0(vooruit[k], k)]) for k in nu}
        spreiding = pg.invoerspreiding(cohort[t0], regio_van)
        bereik = {g: {k: na_t0(t, k) for k, t in d.items()}
                  for g, d in pg.lj34_bereik(cohort[t0], regio_van, spreiding).items()}
        return {"methode": "bestand", "reeksen": tabel, "bereik": bereik, "spreiding": spreiding}, None
    m = pg.demografisch_model(per_v[max(per_v)],
                              lambda j: [demografie.geboortejaar(j, 3), demografie.geboortejaar(j, 4)])
    # Combined with each region's share as the exam forecast is, so the band belongs to this method.
    uit = pg.met_regioaandeel(nu, m(nu, oorsprong + pg.MAX_HORIZON - t0), regio_van)
    tabel = {k: pd.concat([nu[k], uit[k]]) for k in nu}
    kruis = demografie.kruiscontrole(pd.DataFrame({k: t.iloc[0] for k, t in nu.items()}), per_v[max(per_v)],
                                     regio_van, [demografie.geboortejaar(t0, 3), demografie.geboortejaar(t0, 4)])
    demo_v = v[(v["model"] == "model") & (v["oorsprong"].map(onderdelen) == "demografie")]
    f = bt.interval_factoren(demo_v)
    f = f.assign(reeks=f["reeks"].map({"kandidaten": "totaal", "techniek": "techniek"})).dropna(subset=["reeks"])
    return {"methode": "demografie", "reeksen": tabel, "kruiscontrole": kruis}, f


def _examen_bereik(cohort: pd.DataFrame, regio_van: pd.Series | None, vooruit: pg.Panelen) -> dict:
    """The exam forecast's range from the spread of its inputs (pg.examen_bereik), as bounds per
    vestiging on the forecast that is shown."""
    spreiding = pg.invoerspreiding(cohort, regio_van)
    k = vooruit["kandidaten"]
    f = pg.examen_bereik(cohort.reindex(k.columns).fillna(0.0), regio_van, spreiding, len(k))
    return {"spreiding": spreiding, "soort": "cohort",
            **{g: {r: vooruit[r] * t.set_axis(k.index).reindex(columns=k.columns).fillna(1.0).to_numpy()
                   for r, t in d.items() if r in vooruit} for g, d in f.items()}}


def _spreiding_bereik(p: pg.Panelen, oorsprong: int, per_v: dict[int, pd.DataFrame], regio_van: pd.Series | None,
                      vooruit: pg.Panelen) -> dict | None:
    """The range of the demographic forecast (residents in `per_v`) or of the last value (none)
    from the spread of what it holds fixed (pg.deelname_spreiding): the forecast times 1 + the
    spread, sqrt(h) as wide h years ahead (a rate that moves each year). None when no series has
    enough regions or years for a spread."""
    peiljaar = max((j for j in per_v if j <= oorsprong), default=None)
    spreiding = pg.deelname_spreiding(p, per_v.get(peiljaar), lambda j: [demografie.examen_geboortejaar(j)],
                                      regio_van)
    return _schaal_bereik(spreiding, vooruit, "demografie" if per_v else "laatste_waarde")


def _schaal_bereik(spreiding: dict, vooruit: pg.Panelen, soort: str) -> dict | None:
    """Bounds per vestiging: each series' forecast times 1 + its spread (lo, hi), sqrt(h) as wide
    h years ahead (a rate that moves each year). None when no series has a spread."""
    spreiding = {r: s for r, s in spreiding.items() if s is not None}
    if not spreiding:
        return None
    uit = {"spreiding": spreiding, "soort": soort, "onder": {}, "boven": {}}
    for r, (lo, hi) in spreiding.items():
        wortel = np.sqrt(np.arange(1, len(vooruit[r]) + 1))
        uit["onder"][r] = vooruit[r].mul(np.maximum(1 + lo * wortel, 0.0), axis=0)
        uit["boven"][r] = vooruit[r].mul(1 + hi * wortel, axis=0)
    return uit


def zonder_details(b: Basis | None) -> Basis | None:
    """The Basis without the backtest's long table: what a dashboard kernel keeps in memory."""
    return None if b is None else Basis(**{**b.__dict__, "voorspellingen": None})


# -- a selection --------------------------------------------------------------------------
# Where a level has too few backtest errors for a band, the band of the next level with enough
# is used (a coarser selection's errors are smaller, so a finer level's band is the wider one)
# and the page names the level it came from.
TERUGVAL = {"landelijk": ("landelijk", "regio", "vestiging"), "regio": ("regio", "vestiging"),
            "vestiging": ("vestiging", "regio"), "instelling": ("instelling",)}


@dataclass
class Prognose:
    """History, forecast and band of one selection."""

    basis: Basis
    niveau: str  # the selection's backtest level
    historie: pd.DataFrame  # year x series
    tabel: pd.DataFrame  # reeks, jaar, h, punt, onder, boven, band_niveau
    vestigingen: int
    lj34: pd.DataFrame | None = None  # exam soort: leerjaar 3-4 after the newest student file (same columns)

    def reeks(self, naam: str) -> pd.DataFrame:
        return self.tabel[self.tabel["reeks"] == naam].set_index("jaar")

    def fout(self, h: int = 3, reeks: str | None = None) -> dict:
        """The backtest error of the method at this selection's level and horizon h."""
        f = self.basis.fouten
        r = f[(f["reeks"] == (reeks or self.basis.hoofdreeks)) & (f["niveau"] == self.niveau) & (f["h"] == h)]
        m = r[r["model"] == "model"]
        if m.empty:
            return {}
        m = m.iloc[0]
        basis = r.loc[r["model"] == m["beste_basislijn"], "mape"]
        return {"h": h, "mape": float(m["mape"]), "mae": float(m["mae"]), "bias": float(m["bias"]),
                "ratio_best_baseline": float(m["ratio_best_baseline"]), "beste_basislijn": m["beste_basislijn"],
                "mape_beste_basislijn": float(basis.iloc[0]) if len(basis) else None, "n": int(m["n"])}


def _met_band(reeks: str, punt: pd.Series, h: np.ndarray, factoren: pd.DataFrame | None, niveau: str) -> pd.DataFrame:
    """Points with the band of the first level in TERUGVAL that has factors for this series
    (NaN where none has them at that horizon); the band always holds its own point: where the
    backtest errors all lean one way, the quantile band alone would lie beside the forecast."""
    onder = boven = np.full(len(punt), np.nan)
    band_niveau = None
    for n in TERUGVAL[niveau]:
        f = (factoren[(factoren["reeks"] == reeks) & (factoren["niveau"] == n)].set_index("h")
             if factoren is not None and len(factoren) else pd.DataFrame(columns=["onder", "boven"]))
        if len(f):
            onder = punt.to_numpy() * (1 + f["onder"].reindex(h).to_numpy(dtype="float64"))
            boven = punt.to_numpy() * (1 + f["boven"].reindex(h).to_numpy(dtype="float64"))
            band_niveau = n
            break
    p = punt.to_numpy()
    return pd.DataFrame({"reeks": reeks, "jaar": punt.index, "h": h, "punt": p,
                         "onder": np.where(np.isnan(onder), np.nan, np.maximum(np.minimum(onder, p), 0)),
                         "boven": np.where(np.isnan(boven), np.nan, np.maximum(boven, p)),
                         "band_niveau": band_niveau})


INVOER = "invoer"  # band_niveau of a range from the spread of the inputs (no backtest behind it)


def _met_bereik(reeks: str, punt: pd.Series, h: np.ndarray, onder: pd.Series, boven: pd.Series) -> pd.DataFrame:
    """Points with a range from the spread of the inputs (where no backtest can give a band);
    like a band it always holds its own point."""
    p = punt.to_numpy()
    o, b = onder.to_numpy(dtype="float64"), boven.to_numpy(dtype="float64")
    return pd.DataFrame({"reeks": reeks, "jaar": punt.index, "h": h, "punt": p,
                         "onder": np.where(np.isnan(o), np.nan, np.maximum(np.minimum(o, p), 0)),
                         "boven": np.where(np.isnan(b), np.nan, np.maximum(b, p)),
                         "band_niveau": np.where(np.isnan(o), None, INVOER)})


def prognose(b: Basis, vestigingen: list[str] | None = None, niveau: str | None = None) -> Prognose:
    """Sum the per-vestiging forecast over a selection (None: the whole country) and put the
    band of the matching backtest level around it."""
    kolommen = next(iter(b.voorspelling.values())).columns
    if vestigingen is None:
        gekozen = kolommen
        niveau = niveau or "landelijk"
    else:
        gekozen = kolommen.intersection(pd.Index(vestigingen))
        niveau = niveau or ("vestiging" if len(vestigingen) == 1 else "regio")
    historie = pd.DataFrame({k: t[gekozen].sum(axis=1, min_count=1) for k, t in b.historie.items()})
    historie = historie[historie.notna().any(axis=1)]
    factor_reeksen = set(b.factoren["reeks"])
    rijen = []
    for k, t in b.voorspelling.items():
        punt = t[gekozen].sum(axis=1)
        h = punt.index.to_numpy() - b.oorsprong
        band = _met_band(k if k in factor_reeksen else b.hoofdreeks, punt, h, b.factoren, niveau)
        if band["band_niveau"].isna().all() and b.bereik and k in b.bereik["onder"]:
            band = _met_bereik(k, punt, h, *(b.bereik[g][k][gekozen].sum(axis=1) for g in ("onder", "boven")))
        rijen.append(band.assign(reeks=k))
    lj34 = None

    def kies(t: pd.DataFrame) -> pd.DataFrame:
        return t if vestigingen is None else t.loc[:, t.columns.intersection(pd.Index(vestigingen))]
    if b.lj34 is not None:
        delen = []
        for k, t in b.lj34["reeksen"].items():
            punt = kies(t).sum(axis=1)
            t0 = int(punt.index[0])
            if "bereik" in b.lj34:  # no backtest: the range from the spread of the inputs
                grens = {g: kies(b.lj34["bereik"][g][k]).sum(axis=1).reindex(punt.index) for g in ("onder", "boven")}
                delen.append(_met_bereik(k, punt, punt.index.to_numpy() - t0, grens["onder"], grens["boven"]))
            else:
                delen.append(_met_band(k, punt, punt.index.to_numpy() - t0, b.lj34_factoren, niveau))
        lj34 = pd.concat(delen, ignore_index=True)
    return Prognose(b, niveau, historie, pd.concat(rijen, ignore_index=True), int(len(gekozen)), lj34)


def controleer_horizon(horizon: int) -> int:
    if not 1 <= int(horizon) <= pg.MAX_HORIZON:
        raise SelectieFout(f"horizon {horizon} kan niet: kies 1 tot en met {pg.MAX_HORIZON} jaar vooruit")
    return int(horizon)


# -- DUO's own forecast ---------------------------------------------------------------------
def _werkelijk_per_instelling(leerlingen: pd.DataFrame, onderwijstype: str) -> pd.DataFrame:
    """Students per year x instelling whose DUO onderwijstype starts with VMBO (or BRJ:
    Brugjaar), suppressed cells as in the panels: the same definition as DUO's columns."""
    prefix = {"BRJ": "BRUGJAAR"}.get(onderwijstype, onderwijstype)
    d = leerlingen[leerlingen["onderwijstype"].str.upper().str.startswith(prefix)]
    n = pg._waarde(d, "aantal", "onderdrukt")
    t = n.groupby([d["jaar"], d["instellingscode"]]).sum().unstack("instellingscode")
    return t.reindex(pd.RangeIndex(int(leerlingen["jaar"].min()), int(leerlingen["jaar"].max()) + 1))


def duo_oorsprong(duo: pd.DataFrame, werkelijk: pd.DataFrame) -> int | None:
    """The last year in which DUO's file holds the realised counts (its columns up to the
    origin are counts, after it forecasts): where it equals our counts for 90% of instellingen."""
    laatste = None
    for jaar in sorted(set(duo.index) & set(werkelijk.index)):
        a, b = duo.loc[jaar], werkelijk.loc[jaar].reindex(duo.columns)
        ok = a.notna() & b.notna()
        if ok.sum() and (np.abs(a[ok] - b[ok]) < 0.5).mean() >= 0.9:
            laatste = jaar
    return laatste


def score_duo(duoprognose: pd.DataFrame | None, leerlingen: pd.DataFrame, oorsprong: int | None = None,
              onderwijstype: str = "VMBO") -> pd.DataFrame | None:
    """DUO's leerlingenprognose scored against the counts, next to the baselines from the same
    origin, per instelling and nationally. None when no DUO forecast is loaded."""
    if duoprognose is None:
        return None
    werkelijk = _werkelijk_per_instelling(leerlingen, onderwijstype)
    delen = []
    for bron, d in duoprognose[duoprognose["onderwijstype"] == onderwijstype].groupby("bron"):
        duo = d.pivot_table(index="jaar", columns="instellingscode", values="aantal", aggfunc="sum")
        t = oorsprong or duo_oorsprong(duo, werkelijk)
        if t is None:
            raise SelectieFout(f"de oorsprong van DUO's prognose in {bron} is niet te bepalen: "
                               "geef hem op (--oorsprong JAAR, het laatste jaar met echte tellingen)")
        gemeen = duo.columns.intersection(werkelijk.columns)
        echt = werkelijk[gemeen]
        panelen = {"vmbo": echt.loc[:t]}
        horizon = int(max(duo.index)) - t
        for naam, model in {"duo": None, **pg.BASISLIJNEN}.items():
            v = duo[gemeen].loc[t + 1:] if model is None else model(panelen, horizon)["vmbo"]
            for niveau, vv in (("instelling", v), ("landelijk", v.sum(axis=1).to_frame("NL"))):
                w = echt if niveau == "instelling" else echt.sum(axis=1, min_count=1).to_frame("NL")
                lang = bt.score_extern(vv, w, t, naam)
                delen.append(lang.assign(niveau=niveau, bron=bron))
    if not delen:
        return None
    v = pd.concat(delen, ignore_index=True)
    return v.groupby("bron", group_keys=True).apply(lambda x: bt.fouten(x, model="duo"),
                                                    include_groups=False).reset_index(level=0)
