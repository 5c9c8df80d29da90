"""The regioaanvraag (application form): what the data knows about a region's vestigingen,
prefilled, plus what only the applicants know, with the checks a reviewer would make.

Pure data and rules; the form widgets are in views/aanvraag.py. Nothing here writes files.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import pandas as pd

from .. import rules
from . import prognoseportret, regels
from .portret import Portret

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.I)
TELEFOON = re.compile(r"^\+?[0-9][0-9 \-()]{8,}$")


@dataclass
class Vestigingsgegevens:
    vestigingscode: str
    naam: str
    adres: str
    postcode: str
    plaats: str
    gemeente: str
    leerlingen: dict[str, int]  # per leerweg, leerjaar 3-4
    techniek: dict[str, dict[str, int]]  # technical profiel -> leerweg -> students
    techniek_totaal: int
    onderdrukt: int
    kan_penvoerder_zijn: bool


@dataclass
class Aanvraag:
    regionummer: int
    regionaam: str
    teldatum: str
    indeling: str
    demo: bool
    vestigingen: list[Vestigingsgegevens]
    techniekaandeel: float | None
    techniekarm: bool | None
    samenwerking: bool
    budget_leerlingen: int
    budget_indicatie_eur: float | None
    arbeidsmarktregios: list[dict]
    prognose: dict  # summary: series, last year, point and band per year
    bronnen: list[str]
    # what the applicants fill in
    contactpersoon: str = ""
    email: str = ""
    telefoon: str = ""
    penvoerder: str = ""
    mbo_partners: list[str] = field(default_factory=list)
    bedrijven: list[str] = field(default_factory=list)
    toelichting: str = ""

    @property
    def codes(self) -> list[str]:
        return [v.vestigingscode for v in self.vestigingen]

    def mogelijke_penvoerders(self) -> list[str]:
        return [v.vestigingscode for v in self.vestigingen if v.kan_penvoerder_zijn]

    def als_dict(self) -> dict:
        return asdict(self)


def _adressen(ds, codes: list[str]) -> pd.DataFrame:
    v = ds.vestigingen
    if v is None:
        return pd.DataFrame(index=pd.Index(codes, name="vestigingscode"))
    return v.set_index("vestigingscode").reindex(codes)


def _tekst(x) -> str:
    return "" if x is None or (isinstance(x, float) and pd.isna(x)) else str(x)


def prognose_samenvatting(b: prognoseportret.Basis | None, codes: list[str], horizon: int = 4) -> dict:
    if b is None:
        return {}
    p = prognoseportret.prognose(b, codes)
    t = p.reeks(b.hoofdreeks)
    t = t[t["h"] <= horizon]
    return {"reeks": prognoseportret.reeks_label(b.hoofdreeks), "laatste_jaar": b.oorsprong,
            "laatste_telling": float(p.historie[b.hoofdreeks].dropna().iloc[-1]),
            "jaren": [{"jaar": int(j), "punt": round(float(r["punt"])), "onder": round(float(r["onder"])),
                       "boven": round(float(r["boven"]))} for j, r in t.iterrows()],
            "methode": b.methode}


def maak_aanvraag(ds, p: Portret, prognose: prognoseportret.Basis | None = None) -> Aanvraag:
    """Prefill the form for the region(s) of portrait `p` (normally one region)."""
    if not p.regios:
        raise ValueError("een aanvraag hoort bij een regio")
    nr, naam = p.regios[0]["regionummer"], p.regios[0]["regionaam"]
    codes = sorted(set(p.indeling.tabel.loc[p.indeling.tabel["regionummer"].isin(
        [r["regionummer"] for r in p.regios]), "vestigingscode"]))
    adres = _adressen(ds, codes)
    penvoerders = set(regels.penvoerders(p))
    t = p.tabel
    lijst = []
    for code in codes:
        eigen = t[t["vestigingscode"] == code]
        per_lw = eigen.groupby("leerweg")["aantal"].sum()
        tech = eigen[eigen["profiel"].isin(rules.TECHNISCHE_PROFIELEN)]
        a = adres.loc[code] if code in adres.index else pd.Series(dtype=object)
        naam_v = _tekst(a.get("vestigingsnaam")) or (eigen["vestigingsnaam"].iloc[0] if len(eigen) else "")
        lijst.append(Vestigingsgegevens(
            vestigingscode=code, naam=naam_v,
            adres=f"{_tekst(a.get('straat'))} {_tekst(a.get('huisnummer'))}".strip(),
            postcode=_tekst(a.get("postcode")),
            plaats=_tekst(a.get("plaatsnaam")) or (eigen["plaatsnaam"].iloc[0] if len(eigen) else ""),
            gemeente=_tekst(a.get("gemeentenaam")),
            leerlingen={lw: int(per_lw.get(lw, 0)) for lw in rules.LEERWEGEN},
            techniek={pr: {lw: int(tech[(tech["profiel"] == pr) & (tech["leerweg"] == lw)]["aantal"].sum())
                           for lw in rules.BEROEPSGERICHTE_LEERWEGEN} for pr in rules.TECHNISCHE_PROFIELEN},
            techniek_totaal=int(tech["aantal"].sum()), onderdrukt=int(eigen["onderdrukt"].sum()),
            kan_penvoerder_zijn=code in penvoerders))
    return Aanvraag(
        regionummer=int(nr), regionaam=naam, teldatum=p.teldatum, indeling=p.indeling.label, demo=p.demo,
        vestigingen=lijst, techniekaandeel=p.techniekaandeel(), techniekarm=p.techniekarm(),
        samenwerking=p.twee_scholen_regel(), budget_leerlingen=regels.budget_leerlingen(p),
        budget_indicatie_eur=regels.budget_indicatie_eur(p),
        arbeidsmarktregios=regels.arbeidsmarktregios(p, p.arbeidsmarkt),
        prognose=prognose_samenvatting(prognose, codes), bronnen=list(p.bronnen))


def regels_lijst(tekst: str) -> list[str]:
    """One entry per line; empty lines dropped."""
    return [r.strip() for r in str(tekst).splitlines() if r.strip()]


def valideer(a: Aanvraag) -> list[tuple[str, str]]:
    """(veld, melding) for everything a reviewer would send back; empty when the form is complete."""
    fout = []
    if not a.contactpersoon.strip():
        fout.append(("contactpersoon", "Vul de naam van de contactpersoon in."))
    if not a.email.strip():
        fout.append(("email", "Vul een e-mailadres in."))
    elif not EMAIL.match(a.email.strip()):
        fout.append(("email", f"'{a.email.strip()}' is geen geldig e-mailadres (voorbeeld: naam@school.nl)."))
    if a.telefoon.strip() and not TELEFOON.match(a.telefoon.strip()):
        fout.append(("telefoon", f"'{a.telefoon.strip()}' is geen telefoonnummer (voorbeeld: 050 123 4567)."))
    if not a.penvoerder:
        fout.append(("penvoerder", "Kies de penvoerder."))
    elif a.penvoerder not in a.codes:
        fout.append(("penvoerder", f"Vestiging {a.penvoerder} doet niet mee in regio {a.regionummer}."))
    elif a.penvoerder not in a.mogelijke_penvoerders():
        fout.append(("penvoerder", f"Vestiging {a.penvoerder} heeft geen technisch profiel en mag geen penvoerder "
                                   "zijn (dat mag alleen in een techniekarme regio)."))
    if not a.mbo_partners:
        fout.append(("mbo_partners", "Noem minstens één mbo-instelling waarmee de regio samenwerkt."))
    if not a.bedrijven:
        fout.append(("bedrijven", "Noem minstens één bedrijf of bedrijfsleven-organisatie waarmee de regio "
                                  "samenwerkt."))
    if not a.samenwerking and len(a.toelichting.strip()) < 20:
        fout.append(("toelichting", f"De regio heeft minder dan {rules.MINIMUM_VESTIGINGEN_MET_TECHNIEK} vestigingen "
                                    "met technische profielen: licht in een paar zinnen toe waarom en met wie u "
                                    "samenwerkt."))
    return fout
