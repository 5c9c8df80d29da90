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
from . import backtest as bt
from . import prognose as pg

VERSIE = 1
SOORTEN = {
    "leerlingen": "leerlingen leerjaar 3-4 (vmbo)",
    "examenkandidaten": "examenkandidaten vmbo",
}
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
        "naar de regio en het land getrokken als de vestiging klein is); zonder eerder bestand is die 1. De "
        f"verdeling over sectoren volgt het aandeel in de laatste {pg.VENSTER} jaar."
    ),
}
GEEN_BESTAND = (
    "Er is geen leerlingenbestand van teldatum {teldatum} (het jaar na het laatste examenjaar {oorsprong}). De "
    "prognose hieronder is daarom de laatste bekende waarde per vestiging: een eenvoudige basislijn, geen "
    "methode. {getoetst}"
)
BAND_TEKST = (f"De band loopt van het {round(100 * pg.INTERVAL[0])}%- tot het {round(100 * pg.INTERVAL[1])}%-punt "
              "van de fouten in de backtest van wat hier getoond wordt (op hetzelfde niveau en dezelfde horizon, "
              "alleen uit eerdere jaren), en omvat altijd de prognose zelf. Ligt de lijn niet midden in de band, dan "
              "zat de prognose er in het verleden vaker in één richting naast. Met minder dan "
              f"{bt.MIN_FOUTEN} fouten op een niveau en horizon is er geen band.")
MODEL_NAMEN = {"model": "deze methode", **pg.BASISLIJN_NAMEN, "duo": "DUO-prognose",
               "ratio_best_baseline": "verhouding tot beste basislijn"}
DOELEN = {"leerlingen": ["totaal", "techniek"], "examenkandidaten": ["kandidaten"]}
HOOFDREEKS = {"leerlingen": "totaal", "examenkandidaten": "kandidaten"}
REEKS_LABEL = {
    "totaal": "vmbo leerjaar 3-4", "techniek": "technische profielen", "kandidaten": "examenkandidaten vmbo",
    **{lw: f"leerweg {lw}" for lw in rules.LEERWEGEN},
    **{p: rules.PROFIEL_AFKORTING[p] for p in rules.TECHNISCHE_PROFIELEN},
}


def reeks_label(reeks: str) -> str:
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
    lj34_bestand: pd.DataFrame | None = None  # exam soort: leerjaar 3-4 of the last student file and 1-2 years on
    getoond: str = "model"  # what the forecast shows: 'model', or 'laatste_waarde' when the method cannot run
    backtest_oorsprongen: list[int] = field(default_factory=list)  # the origins the method was scored at
    dekking: pd.DataFrame | None = None  # bt.dekking_buiten_steekproef of what is shown

    @property
    def hoofdreeks(self) -> str:
        return HOOFDREEKS[self.soort]

    @property
    def methode(self) -> str:
        extra = (f", geschaald met de bevolkingsontwikkeling ({self.bevolking})" if self.bevolking else "")
        tekst = METHODE[self.soort].format(bevolking=extra)
        if self.getoond == "model":
            return tekst
        getoetst = (f"Zo'n bestand is er wel voor eerdere jaren: de cohortmethode is getoetst vanaf oorsprong(en) "
                    f"{', '.join(map(str, self.backtest_oorsprongen))} (backtest). {tekst}"
                    if self.backtest_oorsprongen else "De cohortmethode kon op deze data niet worden getoetst.")
        return GEEN_BESTAND.format(teldatum=self.oorsprong + 1, oorsprong=self.oorsprong, getoetst=getoetst)

    def reeksen(self) -> list[str]:
        return list(self.voorspelling)


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
            voortgang=None, leerlingen: pd.DataFrame | None = None) -> Basis:
    """Build the Basis (no cache). `reeks`: the full student table for soort 'leerlingen', the
    exam table for 'examenkandidaten' (kies_soort picks). `bevolking` and `vestigingen`: the
    optional population input of the cohort method; `leerlingen`: the student table, whose
    teldatum files the exam forecast uses."""
    regio_van = indeling.tabel.set_index("vestigingscode")["regionummer"] if indeling is not None else None
    bevolking_tekst = None
    alleen = None
    if soort == "leerlingen":
        panelen = pg.leerlingen_panelen(reeks)
        groei, peiljaar = None, None
        if bevolking is not None and len(bevolking):
            groei = pg.inflow_groei(bevolking, vestigingen)
            pj = bevolking["peiljaar"].dropna()
            peiljaar = int(pj.max()) if len(pj) else None
            bevolking_tekst = "CBS inwoners naar leeftijd, " + ", ".join(sorted(bevolking["bron"].unique()))

        def model(p, horizon):
            # The population snapshot counts only from its own year on: an origin before it
            # (or a snapshot without a known year) forecasts without it, so no future leaks in.
            oorsprong = int(p["lj1"].index.max())
            bruikbaar = groei is not None and peiljaar is not None and peiljaar <= oorsprong
            return pg.cohort_model(p, horizon, groei if bruikbaar else None)

        def model_nu(p, horizon):
            return pg.cohort_model(p, horizon, groei)
    else:
        panelen = pg.examen_panelen(reeks)
        cohort = pg.cohorten(leerlingen) if leerlingen is not None else {}
        model = model_nu = pg.examen_cohort_model(cohort, regio_van)
        # The method is scored only where it can run: at origins followed by a student file.
        alleen = [o for o in bt.oorsprongen(panelen["kandidaten"]) if o + 1 in cohort]
    modellen = {"model": model, **pg.BASISLIJNEN}
    v = bt.voorspellingen(panelen, modellen, DOELEN[soort], regio_van, voortgang=voortgang, alleen=alleen)
    hoofd = panelen[HOOFDREEKS[soort]]
    oorsprong = int(hoofd.index[hoofd.notna().any(axis=1)].max())
    geschiedenis = {k: t.loc[:oorsprong] for k, t in panelen.items()}
    vooruit = model_nu(geschiedenis, pg.MAX_HORIZON)
    lj34 = None
    if soort == "examenkandidaten" and cohort:
        t = max(cohort)  # leerjaar 3-4 of the latest student file, and one and two years on
        vooruit_lj34 = pg.lj34_uit_bestand(cohort[t], regio_van)
        lj34 = pd.concat([(cohort[t]["lj3"] + cohort[t]["lj4"]).to_frame().T, vooruit_lj34])
        lj34.index = [t, t + 1, t + 2]
    getoond, scoring, naam = "model", v, "model"
    if soort == "examenkandidaten" and oorsprong + 1 not in cohort:
        # No student file after the last exam year: what is shown is the last value, and its band
        # and coverage come from the last value's own backtest over every origin.
        getoond, naam = "laatste_waarde", "laatste_waarde"
        scoring = bt.voorspellingen(panelen, {naam: pg.BASISLIJNEN[naam]}, DOELEN[soort], regio_van)
    if soort == "leerlingen":
        vooruit = {k: t for k, t in vooruit.items() if not k.startswith("lj")}
        geschiedenis = {k: t for k, t in geschiedenis.items() if not k.startswith("lj")}
    return Basis(soort=soort, oorsprong=oorsprong, historie=geschiedenis, voorspelling=vooruit,
                 voorspellingen=v, fouten=bt.fouten(v), factoren=bt.interval_factoren(scoring, model=naam),
                 bevolking=bevolking_tekst, bronnen=sorted(set(bronnen or [])), demo=demo, getoond=getoond,
                 lj34_bestand=lj34,
                 backtest_oorsprongen=sorted(int(o) for o in v["oorsprong"].unique()),
                 dekking=bt.dekking_buiten_steekproef(scoring, model=naam))


def zonder_details(b: Basis | None) -> Basis | None:
    """The Basis without the backtest's long table: what a dashboard kernel keeps in memory."""
    return None if b is None else Basis(**{**b.__dict__, "voorspellingen": None})


# -- a selection --------------------------------------------------------------------------
@dataclass
class Prognose:
    """History, forecast and band of one selection."""

    basis: Basis
    niveau: str  # which backtest level the band comes from
    historie: pd.DataFrame  # year x series
    tabel: pd.DataFrame  # reeks, jaar, h, punt, onder, boven
    vestigingen: int
    lj34: pd.Series | None = None  # exam soort: leerjaar 3-4 of the last student file, then 1-2 years on

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
        beste = r[r["model"] != "model"].sort_values("mape").iloc[0]
        return {"h": h, "mape": float(m["mape"]), "mae": float(m["mae"]), "bias": float(m["bias"]),
                "ratio_best_baseline": float(m["ratio_best_baseline"]), "beste_basislijn": beste["model"],
                "n": int(m["n"])}


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
    if niveau not in set(b.factoren["niveau"]):
        niveau = "landelijk" if vestigingen is None else "vestiging"
    historie = pd.DataFrame({k: t[gekozen].sum(axis=1, min_count=1) for k, t in b.historie.items()})
    historie = historie[historie.notna().any(axis=1)]
    rijen = []
    for k, t in b.voorspelling.items():
        punt = t[gekozen].sum(axis=1)
        f = b.factoren[(b.factoren["reeks"] == (k if k in set(b.factoren["reeks"]) else b.hoofdreeks))
                       & (b.factoren["niveau"] == niveau)].set_index("h")
        h = punt.index.to_numpy() - b.oorsprong
        # NaN where the backtest has too few errors at this level and horizon: no band
        onder = punt.to_numpy() * (1 + f["onder"].reindex(h).to_numpy(dtype="float64"))
        boven = punt.to_numpy() * (1 + f["boven"].reindex(h).to_numpy(dtype="float64"))
        # The band always holds its own point: where the backtest errors all lean one way, the
        # quantile band alone would lie beside the forecast (docs/assumptions.md, Prognose).
        rijen.append(pd.DataFrame({"reeks": k, "jaar": punt.index, "h": h, "punt": punt.to_numpy(),
                                   "onder": np.where(np.isnan(onder), np.nan,
                                                     np.maximum(np.minimum(onder, punt.to_numpy()), 0)),
                                   "boven": np.where(np.isnan(boven), np.nan, np.maximum(boven, punt.to_numpy()))}))
    lj34 = None
    if b.lj34_bestand is not None:
        t = b.lj34_bestand
        lj34 = (t if vestigingen is None else t.loc[:, t.columns.intersection(pd.Index(vestigingen))]).sum(axis=1)
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
