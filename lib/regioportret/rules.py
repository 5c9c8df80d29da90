"""Every number and list taken from the STO regulation, in one place, with its source.

Change a rule here and only here; the portrait prints the definition it used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BRON_REGELING = (
    "Subsidieregeling Sterk Techniekonderwijs 2020-2023 en STO Q&A regioaanvraag (DUS-I, 2019); "
    "zie docs/regels.md"
)

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
# The five technical profielen (STO Q&A: "de vijf technische profielen").
TECHNISCHE_PROFIELEN: tuple[str, ...] = ("BWI", "PIE", "MTR", "MTE", "MVI")

LEERWEGEN: tuple[str, ...] = ("BB", "KB", "GL", "TL")
BEROEPSGERICHTE_LEERWEGEN: tuple[str, ...] = ("BB", "KB", "GL")

# DUO teldatum: students are counted on 1 October; "2019" is school year 2019-2020.
TELDATUM_MAAND_DAG = (10, 1)

# Techniekarm: fewer than 10% of the region's vmbo students in the five technical profielen.
TECHNIEKARM_DREMPEL = 0.10
_DREMPEL_TEKST = f"{round(100 * TECHNIEKARM_DREMPEL)}%"


@dataclass(frozen=True)
class Definitie:
    """How the technical share is computed; every output names the one it used."""

    naam: str
    omschrijving: str
    noemer_leerwegen: tuple[str, ...]
    teller_profielen: tuple[str, ...] = TECHNISCHE_PROFIELEN
    drempel: float = TECHNIEKARM_DREMPEL
    bron: str = BRON_REGELING

    def als_dict(self) -> dict:
        return {
            "naam": self.naam,
            "omschrijving": self.omschrijving,
            "teller": list(self.teller_profielen),
            "noemer_leerwegen": list(self.noemer_leerwegen),
            "drempel": self.drempel,
            "bron": self.bron,
        }


DEFINITIES: dict[str, Definitie] = {
    "alle_vmbo": Definitie(
        naam="alle_vmbo",
        omschrijving=(
            "aandeel van alle vmbo-leerlingen in leerjaar 3-4 (BB, KB, GL en TL) dat een van "
            f"de vijf technische profielen volgt; techniekarm bij minder dan {_DREMPEL_TEKST}"
        ),
        noemer_leerwegen=LEERWEGEN,
    ),
    "beroepsgericht": Definitie(
        naam="beroepsgericht",
        omschrijving=(
            "aandeel van de vmbo-leerlingen in leerjaar 3-4 van BB, KB en GL dat een van de "
            f"vijf technische profielen volgt; techniekarm bij minder dan {_DREMPEL_TEKST}"
        ),
        noemer_leerwegen=BEROEPSGERICHTE_LEERWEGEN,
    ),
}
STANDAARD_DEFINITIE = "alle_vmbo"

# Composition rule: normally at least two vestigingen with technical profielen.
MINIMUM_VESTIGINGEN_MET_TECHNIEK = 2

# Budget. Only students in the five technical profielen count towards a region's maximum
# budget, in leerjaar 3-4 of BB, KB and GL on the teldatum (STO Q&A). The per-student amounts
# are those of the earlier STO payments and give an *indication* only, not the 2020-2023 or
# 2025-2028 maximum: EUR 1,500 (2018) and EUR 3,000 (2019) per student, half for GL.
BUDGET_LEERWEGEN: tuple[str, ...] = ("BB", "KB", "GL")
BUDGET_PER_LEERLING_EUR: dict[int, int] = {2018: 1_500, 2019: 3_000}
BUDGET_BEDRAGJAAR = 2019
BUDGET_FACTOR_LEERWEG: dict[str, float] = {"BB": 1.0, "KB": 1.0, "GL": 0.5}
BRON_BUDGET = "STO-bedragen per leerling 2018 en 2019 (Q&A regioaanvraag); indicatie, geen toegekend budget"
# Techniekarme regions have their own budget: per region EUR 600,000 - 4,000,000 for four years.
TECHNIEKARM_BUDGET_EUR: tuple[int, int] = (600_000, 4_000_000)
TECHNIEKARM_BUDGET_JAREN = 4


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
