"""The regioaanvraag (application form): what the data knows about a region's vestigingen,
prefilled, plus what only the applicants know, with the checks a reviewer would make.

Pure data and rules; the form widgets are in views/aanvraag.py. Nothing here writes files.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from .. import rules
from .selectie import Selectie, Vestiging

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.I)
TELEFOON = re.compile(r"^\+?[0-9][0-9 \-()]{8,}$")


@dataclass
class Aanvraag:
    regionummer: int
    regionaam: str
    teldatum: str
    indeling: str
    demo: bool
    vestigingen: list[Vestiging]  # the bundle's deelnemende vestigingen
    leerlingen: dict[str, int]
    techniek: int
    techniekaandeel: float | None
    onder_drempel: bool | None  # below the round's threshold: see drempelterm
    samenwerking: bool
    budget_leerlingen: int
    budget_indicatie_eur: float | None
    ronde: str  # the regulation round the figures and rules apply ('2025-2028')
    drempelterm: str  # that round's word for a region below the threshold (techniekluw, techniekarm)
    budget: str  # the round's budget line for this region (model.regels.budget_tekst)
    arbeidsmarktregios: list[dict]
    prognose: dict  # the bundle's forecast of the main series: last count, point and band per year
    bronnen: list[str]
    telling: list[str] = field(default_factory=list)  # who is counted where: placed, niet ingedeeld, apart
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


def prognose_samenvatting(s: Selectie) -> dict:
    """The main forecast series of the bundle, as the form shows and downloads it."""
    p = s.prognose
    if p is None:
        return {}
    r = p.reeksen[p.hoofdreeks]
    return {"reeks": r.label, "laatste_jaar": p.oorsprong, "laatste_telling": r.historie.get(p.oorsprong),
            "jaren": [{"jaar": x.jaar, "punt": x.punt, "onder": x.onder, "boven": x.boven} for x in r.tot()],
            "methode": p.methode}


def maak_aanvraag(s: Selectie) -> Aanvraag:
    """Prefill the form from the bundle of one region: every figure as the portrait shows it."""
    if len(s.regios) != 1:
        raise ValueError("een aanvraag hoort bij één regio")
    r = s.regios[0]
    k = s.kern
    return Aanvraag(
        regionummer=int(r["regionummer"]), regionaam=r["regionaam"], teldatum=s.teldatum,
        indeling=s.indeling["label"], demo=s.demo, vestigingen=list(s.vestigingen), leerlingen=dict(k.leerlingen),
        techniek=k.techniek, techniekaandeel=k.techniekaandeel, onder_drempel=k.techniekarm,
        samenwerking=k.twee_scholen_regel, budget_leerlingen=k.budget_leerlingen,
        budget_indicatie_eur=k.budget_indicatie_eur, ronde=s.definitie.ronde,
        drempelterm=rules.ronde_van(s.definitie).arm_term, budget=s.regel("budget").toelichting,
        arbeidsmarktregios=[dict(a) for a in s.arbeidsmarktregios],
        prognose=prognose_samenvatting(s), bronnen=list(s.bronnen), telling=s.toelichting())


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
                                   f"zijn (dat mag alleen in een {a.drempelterm}e regio)."))
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
