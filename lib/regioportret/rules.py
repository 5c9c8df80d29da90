"""Every number and list taken from the STO regulation, in one place, with its source.

Change a rule here and only here; the portrait prints the definition it used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REGELING_2020 = ("Subsidieregeling sterk techniekonderwijs 2020-2023 (Staatscourant, 12 september 2018; gewijzigd "
                 "26 februari 2019, 2021 en 19 juli 2023)")
REGELING_2025 = "Subsidieregeling sterk techniekonderwijs 2025-2028 (Stcrt. 2024, 11193, regeling van 27 maart 2024)"
QA_2019 = "STO Vragen en antwoorden regioaanvraag (DUS-I, 2019)"
BRON_REGELING = f"{REGELING_2020}; {REGELING_2025}; {QA_2019}; zie docs/regels.md"

# The ten vmbo profielen (since school year 2016-2017), by DUO code.
# DUO writes M&T as MTR and MaT as MTE.
PROFIELEN: dict[str, str] = {
    "BWI": "Bouwen, wonen en interieur",
    "PIE": "Produceren, installeren en energie",
    "MTR": "Mobiliteit en transport",
    "MTE": "Maritiem en techniek",
    "MVI": "Media, vormgeving en ICT",
    "ZWE": "Zorg en welzijn",
    "EO": "Economie en ondernemen",
    "HBR": "Horeca, bakkerij en recreatie",
    "G": "Groen",
    "DP": "Dienstverlening en producten",
}
PROFIEL_AFKORTING: dict[str, str] = {
    "BWI": "BWI", "PIE": "PIE", "MTR": "M&T", "MTE": "MaT", "MVI": "MVI",
    "ZWE": "Z&W", "EO": "E&O", "HBR": "HBR", "G": "G", "DP": "D&P",
}
# A profiel's full label on every surface: 'M&T Mobiliteit en transport'.
PROFIELNAMEN: dict[str, str] = {code: f"{PROFIEL_AFKORTING[code]} {naam}" for code, naam in PROFIELEN.items()}
# The one wording of yes/no (and unknown) on every surface.
JA_NEE: dict = {True: "ja", False: "nee", None: "–"}
# The composition rules' names (the threshold rule takes the round's own word: RONDES[...].arm_term).
REGELNAMEN: dict[str, str] = {"samenwerking": "Samenwerking (twee scholen)", "een_regio_per_vestiging": "Eén regio per vestiging",
                              "penvoerder": "Penvoerder", "budget": "Leerlingen voor het budget"}
# The five technical profielen (STO Q&A: "de vijf technische profielen").
TECHNISCHE_PROFIELEN: tuple[str, ...] = ("BWI", "PIE", "MTR", "MTE", "MVI")


def technisch_profiel(waarde: str) -> str | None:
    """A technical profiel's code from its code (MTR) or the abbreviation the pages print (M&T)."""
    w = str(waarde).strip().upper()
    return next((p for p in TECHNISCHE_PROFIELEN if w in (p, PROFIEL_AFKORTING[p].upper())), None)


LEERWEGEN: tuple[str, ...] = ("BB", "KB", "GL", "TL")
BEROEPSGERICHTE_LEERWEGEN: tuple[str, ...] = ("BB", "KB", "GL")

# DUO teldatum: students are counted on 1 October; "2019" is school year 2019-2020.
TELDATUM_MAAND_DAG = (10, 1)

# Techniekarm: fewer than 10% of the region's vmbo students in the five technical profielen.
TECHNIEKARM_DREMPEL = 0.10
_DREMPEL_TEKST = f"{round(100 * TECHNIEKARM_DREMPEL)}%"


@dataclass(frozen=True)
class Definitie:
    """How the technical share is computed, per regulation round; every output names the one it used."""

    naam: str
    ronde: str
    omschrijving: str
    noemer_leerwegen: tuple[str, ...]
    bron: str
    teller_profielen: tuple[str, ...] = TECHNISCHE_PROFIELEN
    drempel: float = TECHNIEKARM_DREMPEL

    def als_dict(self) -> dict:
        return {
            "naam": self.naam,
            "ronde": self.ronde,
            "omschrijving": self.omschrijving,
            "teller": list(self.teller_profielen),
            "noemer_leerwegen": list(self.noemer_leerwegen),
            "drempel": self.drempel,
            "bron": self.bron,
        }


DEFINITIES: dict[str, Definitie] = {
    "alle_vmbo": Definitie(
        naam="alle_vmbo", ronde="2020-2023",
        omschrijving=(
            "aandeel van alle vmbo-leerlingen in leerjaar 3-4 (BB, KB, GL en TL) dat een van "
            f"de vijf technische profielen volgt; techniekarm bij minder dan {_DREMPEL_TEKST}"
        ),
        noemer_leerwegen=LEERWEGEN,
        bron=f"{QA_2019}: 'vmbo-leerlingen ... het totaal aantal leerlingen in die regio' (TL telt mee); "
             f"{REGELING_2020}",
    ),
    "beroepsgericht": Definitie(
        naam="beroepsgericht", ronde="2025-2028",
        omschrijving=(
            "aandeel van de vmbo-leerlingen in leerjaar 3-4 van BB, KB en GL (beroepsgericht vmbo) dat een van "
            f"de vijf technische profielen volgt; techniekluw bij minder dan {_DREMPEL_TEKST}"
        ),
        noemer_leerwegen=BEROEPSGERICHTE_LEERWEGEN,
        bron=f"{REGELING_2025}, art. 1.1 'beroepsgericht vmbo' (leerjaar 3 en 4 van BB, KB en GL)",
    ),
}
RONDE_DEFINITIE = {d.ronde: n for n, d in DEFINITIES.items()}  # '2025-2028' -> 'beroepsgericht'
STANDAARD_DEFINITIE = "beroepsgericht"  # the round in force (2025-2028)

# A region is labelled by its registration number. The project's bound (docs/assumptions.md), not
# the regulation's: a positive whole number of at most six digits, so a number can never overflow
# and come back as another region's.
REGIONUMMER_CIJFERS = 6
MAX_REGIONUMMER = 10**REGIONUMMER_CIJFERS - 1
# The `opmerking` column of a regio-indeling the builder saves whole: the edited region's rows,
# and the vestigingen that are in no region (so a save never loses a school).
INDELING_BEWERKT = "bewerkt"
INDELING_NIET_INGEDEELD = "niet ingedeeld"

# Composition rule: normally at least two vestigingen with technical profielen.
MINIMUM_VESTIGINGEN_MET_TECHNIEK = 2


@dataclass(frozen=True)
class Ronde:
    """One regulation round's money rules, each value with where it is written (docs/regels.md)."""

    naam: str
    regeling: str
    arm_term: str  # what the round calls a region below the threshold
    budget_leerwegen: tuple[str, ...]
    budget_profielen: tuple[str, ...]
    bedrag_per_leerling: dict[str, int] | None  # EUR per student per year, by leerweg; None: no such amount
    bedrag_bron: str
    arm_budget_eur: tuple[int, int]  # (lowest, highest) per region for the whole round
    arm_budget_bron: str
    totaal_techniek_eur: int
    totaal_arm_eur: int
    totaal_bron: str
    maximum_techniekregio: str  # how a technical region's maximum is set

    def als_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


RONDES: dict[str, Ronde] = {
    "2020-2023": Ronde(
        naam="2020-2023", regeling=REGELING_2020, arm_term="techniekarm",
        budget_leerwegen=BEROEPSGERICHTE_LEERWEGEN, budget_profielen=TECHNISCHE_PROFIELEN,
        bedrag_per_leerling={"BB": 3_078, "KB": 3_078, "GL": 1_539},
        bedrag_bron=("bedragen per leerling 2019 onder de regeling 2020-2023 (BB/KB EUR 3.078, GL EUR 1.539; "
                     "nieuwsbericht Sterk Techniekonderwijs, oktober 2019); leerlingen op 1 oktober 2018"),
        arm_budget_eur=(600_000, 4_000_000),
        arm_budget_bron=f"{REGELING_2020}; {QA_2019}: EUR 600.000 tot 4.000.000 per techniekarme regio voor vier jaar",
        totaal_techniek_eur=335_500_000, totaal_arm_eur=90_000_000,
        totaal_bron=f"{REGELING_2020}: EUR 335,5 miljoen voor techniekregio's, EUR 90 miljoen voor techniekarme regio's",
        maximum_techniekregio="het aantal technische leerlingen (1 oktober 2018) maal het bedrag per leerling",
    ),
    "2025-2028": Ronde(
        naam="2025-2028", regeling=REGELING_2025, arm_term="techniekluw",
        budget_leerwegen=BEROEPSGERICHTE_LEERWEGEN, budget_profielen=TECHNISCHE_PROFIELEN,
        bedrag_per_leerling=None,
        bedrag_bron=f"{REGELING_2025}, bijlage 3: een vast maximum per techniekregio, verdeeld als in 2020-2024",
        arm_budget_eur=(0, 4_000_000),
        arm_budget_bron=f"{REGELING_2025}; DUS-I, Sterk techniekonderwijs 2025-2028: hoogstens EUR 4 miljoen per "
                        "techniekluwe regio",
        totaal_techniek_eur=368_640_080, totaal_arm_eur=20_000_000,
        totaal_bron=f"{REGELING_2025}; DUS-I: EUR 368.640.080 voor techniekregio's, EUR 20 miljoen voor techniekluwe "
                    "regio's",
        maximum_techniekregio="het bedrag dat bijlage 3 van de regeling bij de regio noemt",
    ),
}
STANDAARD_RONDE = DEFINITIES[STANDAARD_DEFINITIE].ronde


def ronde_van(definitie: Definitie) -> Ronde:
    return RONDES[definitie.ronde]


# --- Labels as DUO writes them -------------------------------------------------------------

def _norm(label: str) -> str:
    s = label.strip().lower().replace("&", " en ")
    return re.sub(r"\s+", " ", s)


_PROFIEL_LABELS = {_norm(naam): code for code, naam in PROFIELEN.items()}
_PROFIEL_LABELS.update({_norm(code): code for code in PROFIELEN})
_PROFIEL_LABELS.update({_norm(a): c for c, a in PROFIEL_AFKORTING.items()})

# Vakmanschapsroute and Beroepsroute: programmes that run through to mbo. They are vmbo
# students in leerjaar 3-4 but not in one of the ten profielen; kept and reported apart.
_ROUTE = re.compile(r"^(vakmanschapsroute|beroepsroute)\b", re.I)

# Sector programmes from before the profielen (school years up to 2015-2016, and the last
# exam candidates after that), as DUO lists them in AFDELING.
OUDE_PROGRAMMAS = {
    _norm(x) for x in [
        "Bouwtechniek", "Metaaltechniek", "Elektrotechniek", "Installatietechniek",
        "Voertuigentechniek", "Motorvoertuigentechniek", "Grafische Techniek",
        "Transport en Logistiek", "Techniek Breed -ISP", "Bouwbreed -ISP", "Metalectro -ISP",
        "Instalektro -ISP", "ICT -route", "Technologie Orientatie", "Techniek & Commercie",
        "Techniek & Dienstverlening", "Handel en Administratie -ISP", "Handel en Verkoop",
        "Handel en Administratie", "Administratie", "Mode en Commercie", "Consumptief",
        "Consumptief Breed -ISP", "Dienstverlening & Commercie", "Zorg en Welzijn -ISP",
        "Zorg en Welzijn Breed", "Verzorging", "Uiterlijke Verzorging",
        "Sport, Dienstverlening en Veiligheid", "Landbouw Breed -ISP",
        "Landbouw en Natuurlijke Omgeving", "Intersectorale programma's",
        "Intersectoraal programma",
    ]
}
GEEN_PROFIEL = {"", "n.v.t.", "nvt"}


def classificeer_afdeling(label: str) -> tuple[str, str | None]:
    """Return (categorie, profielcode) for a DUO AFDELING label.

    categorie is 'profiel', 'route', 'oud' or 'geen'; raises KeyError for a label this
    package does not know, so that a new DUO label is noticed rather than dropped.
    """
    n = _norm(label)
    if n in _PROFIEL_LABELS:
        return "profiel", _PROFIEL_LABELS[n]
    if _ROUTE.match(n):
        return "route", None
    if n in OUDE_PROGRAMMAS:
        return "oud", None
    if n in GEEN_PROFIEL:
        return "geen", None
    raise KeyError(label)


def teldatum(jaar: int) -> str:
    m, d = TELDATUM_MAAND_DAG
    return f"{jaar:04d}-{m:02d}-{d:02d}"


# --- Labour market: what counts as technical ----------------------------------------------
# Not from the STO regulation but from the classifications the sources use; printed under
# every labour-market figure. SBI 2008 sections B-F ("Nijverheid en energie": mining,
# manufacturing, energy, water, construction) are the technical sectors in CBS's job counts.
TECHNISCHE_SECTOREN_SBI: tuple[str, ...] = ("B-F",)
TECHNISCHE_SECTOREN_TEKST = "SBI 2008 B-F Nijverheid en energie (industrie, energie, water, bouw)"
# UWV's spanningsindicator per beroepsklasse (BRC 2014): the classes of the segments
# "Technische beroepen" and "ICT beroepen".
TECHNISCHE_BEROEPSSEGMENTEN: tuple[str, ...] = ("technische beroepen", "ict beroepen")
TECHNISCHE_BEROEPSKLASSEN: tuple[str, ...] = (
    "bouwarbeiders", "metaalarbeiders", "elektriciens en elektronicamonteurs", "productieleiders industrie en bouw",
    "technici bouwkunde en natuur", "procesoperators", "ingenieurs (geen elektrotechniek)",
    "elektrotechnisch ingenieurs", "voedselverwerkende beroepen", "overige technische beroepen",
    "software- en applicatieontwikkelaars", "databank- en netwerkspecialisten", "gebruikersondersteuning ict",
    "radio- en televisietechnici",
)
# UWV's categories, from loose to tight.
SPANNING_CATEGORIEEN: tuple[str, ...] = ("zeer ruim", "ruim", "gemiddeld", "krap", "zeer krap")
# mbo domains (DUO/ROA) that count as technical mbo in the doorstroom vmbo -> mbo.
TECHNISCHE_MBO_DOMEINEN: tuple[str, ...] = (
    "techniek en procesindustrie", "bouw en infra", "afbouw, hout en onderhoud", "media en vormgeving",
    "ict", "mobiliteit, transport, logistiek en maritiem", "engineering", "techniek",
)
