"""The embedded demo dataset: fictional vestigingen in real Dutch towns, in DUO's own layouts.

Everything here is generated from a fixed seed, so `regioportret data demo` reproduces the
committed files byte for byte (a test checks that). No third-party file is read: town
coordinates are rounded public knowledge, boundaries are Voronoi cells around the towns,
school names, codes, postcodes and all numbers are invented. The files are written in the
official raw layouts, so the demo exercises exactly the readers real data goes through:
leerlingen 2015-2020 in the BRIN layout (Latin-1), 2021-2024 in the INSTELLINGSCODE layout
(UTF-8, quoted, `<5`), exam candidates in both five-year layouts, results per profiel,
school points, PC4 centroids, gemeente and arbeidsmarktregio boundaries, a regio-indeling.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import rules

SEED = 20261127
JAREN = range(2015, 2025)  # teldatum years of the leerlingen files
SIM_START = 2009  # cohorts are simulated from here so that 2015 already has history
NIEUWE_LAYOUT_VANAF = 2021
OMSCHRIJVING = "demodata, fictieve scholen (gegenereerd door regioportret data demo)"

# Real towns (rounded coordinates) grouped into twelve fictional STO regions.
REGIOS: list[tuple[int, str, list[tuple[str, str, float, float]]]] = [
    (3, "Groningen-Ommelanden", [("Groningen", "Groningen", 53.219, 6.567), ("Delfzijl", "Groningen", 53.330, 6.918),
                                 ("Winschoten", "Groningen", 53.144, 7.034)]),
    (7, "Drenthe", [("Assen", "Drenthe", 52.993, 6.562), ("Emmen", "Drenthe", 52.785, 6.897),
                    ("Hoogeveen", "Drenthe", 52.723, 6.476)]),
    (12, "Friesland", [("Leeuwarden", "Fryslân", 53.201, 5.799), ("Sneek", "Fryslân", 53.032, 5.659),
                       ("Drachten", "Fryslân", 53.107, 6.099)]),
    (14, "IJssel-Vecht", [("Zwolle", "Overijssel", 52.512, 6.094), ("Kampen", "Overijssel", 52.555, 5.911),
                          ("Deventer", "Overijssel", 52.255, 6.163)]),
    (18, "Twente", [("Enschede", "Overijssel", 52.221, 6.894), ("Hengelo", "Overijssel", 52.266, 6.793),
                    ("Almelo", "Overijssel", 52.357, 6.662)]),
    (21, "Gelderland", [("Apeldoorn", "Gelderland", 52.211, 5.969), ("Arnhem", "Gelderland", 51.985, 5.899),
                        ("Nijmegen", "Gelderland", 51.842, 5.853), ("Doetinchem", "Gelderland", 51.965, 6.289)]),
    (25, "Utrecht-Flevoland", [("Utrecht", "Utrecht", 52.091, 5.122), ("Amersfoort", "Utrecht", 52.156, 5.388),
                               ("Lelystad", "Flevoland", 52.518, 5.471), ("Almere", "Flevoland", 52.370, 5.214)]),
    (31, "Noord-Holland", [("Amsterdam", "Noord-Holland", 52.370, 4.895), ("Haarlem", "Noord-Holland", 52.381, 4.637),
                           ("Alkmaar", "Noord-Holland", 52.632, 4.748), ("Den Helder", "Noord-Holland", 52.959, 4.760)]),
    (36, "Zuid-Holland", [("Leiden", "Zuid-Holland", 52.160, 4.497), ("Den Haag", "Zuid-Holland", 52.070, 4.300),
                          ("Rotterdam", "Zuid-Holland", 51.922, 4.479), ("Dordrecht", "Zuid-Holland", 51.813, 4.690)]),
    (42, "Zeeland-West-Brabant", [("Middelburg", "Zeeland", 51.499, 3.614), ("Goes", "Zeeland", 51.504, 3.889),
                                  ("Roosendaal", "Noord-Brabant", 51.531, 4.465), ("Breda", "Noord-Brabant", 51.589, 4.776)]),
    (47, "Midden-Brabant", [("Tilburg", "Noord-Brabant", 51.556, 5.091), ("'s-Hertogenbosch", "Noord-Brabant", 51.690, 5.304),
                            ("Eindhoven", "Noord-Brabant", 51.441, 5.470), ("Helmond", "Noord-Brabant", 51.482, 5.661)]),
    (53, "Limburg", [("Venlo", "Limburg", 51.370, 6.172), ("Roermond", "Limburg", 51.194, 5.987),
                     ("Maastricht", "Limburg", 50.851, 5.691), ("Heerlen", "Limburg", 50.888, 5.979)]),
]
# A rough outline of the Netherlands (lon, lat) to clip the Voronoi "gemeenten".
OMTREK = [(3.36, 51.37), (3.85, 51.21), (4.40, 51.36), (4.80, 51.45), (5.10, 51.43), (5.50, 51.28), (5.85, 51.15),
          (5.70, 50.78), (6.02, 50.75), (6.10, 51.00), (6.25, 51.38), (6.20, 51.50), (5.95, 51.80), (6.40, 51.86), (6.80, 51.96),
          (7.05, 52.23), (6.70, 52.50), (7.05, 52.65), (7.20, 53.20), (6.90, 53.45), (6.20, 53.45), (5.40, 53.40),
          (4.75, 53.05), (4.60, 52.50), (4.30, 52.20), (3.95, 51.95), (3.55, 51.60)]
ARBEIDSMARKT = {"AM91": ("Noord (demo)", {3, 7, 12}), "AM92": ("Oost (demo)", {14, 18, 21}),
                "AM93": ("Midden (demo)", {25}), "AM94": ("West (demo)", {31, 36}), "AM95": ("Zuid (demo)", {42, 47, 53})}
KUST = {"Delfzijl", "Den Helder", "Rotterdam", "Middelburg", "Harlingen"}

NAAM_A = ["De Brug", "Het Baken", "De Horizon", "Het Kompas", "De Vaart", "Het Anker", "De Linde", "Het Plein",
          "De Wingerd", "Het Noorderlicht", "De Esch", "Het Palet", "De Meander", "Het Erf", "De Boog", "Het Veld"]
SOORT_NAAM = {"breed": "Scholengemeenschap", "vakcollege": "Vakcollege", "mavo": "Mavo", "havovwo": "Lyceum",
              "groen": "Groencollege"}
SECTOR = {"BWI": "Techniek", "PIE": "Techniek", "MTR": "Techniek", "MTE": "Techniek", "MVI": "Techniek",
          "ZWE": "Zorg & Welzijn", "EO": "Economie", "HBR": "Economie", "G": "Landbouw", "DP": "Intersect. programma"}
EXAMSECTOR = {"Techniek": "techniek", "Zorg & Welzijn": "zorg en welzijn", "Economie": "economie",
              "Landbouw": "landbouw", "Intersect. programma": "intersectoraal"}
MANNEN = {"BWI": .92, "PIE": .93, "MTR": .95, "MTE": .88, "MVI": .62, "ZWE": .12, "EO": .52, "HBR": .45, "G": .55,
          "DP": .42, "TL": .49, "ROUTE": .8, "HAVO": .47}
ELEMENT = {"BWI": 61, "PIE": 62, "MTR": 63, "MTE": 64, "MVI": 65, "ZWE": 66, "EO": 67, "HBR": 68, "G": 69, "DP": 60}
LW_DUO = {"BB": "BL", "KB": "KL", "GL": "GL", "TL": "TL"}
LW_CIJFER = {"BB": 1, "KB": 2, "GL": 3}

LEERLINGEN_KOP = [f"LEER- OF VERBLIJFSJAAR {lj} - {g}" for lj in range(1, 7) for g in ("MAN", "VROUW")]
KOP_LL_BRIN = ["BRIN NUMMER", "VESTIGINGSNUMMER", "INSTELLINGSNAAM VESTIGING", "PLAATSNAAM VESTIGING",
               "PROVINCIE VESTIGING", "ONDERWIJSTYPE VO EN LEER- OF VERBLIJFSJAAR", "VMBO SECTOR", "AFDELING",
               "ELEMENTCODE", "OPLEIDINGSNAAM", *LEERLINGEN_KOP]
KOP_LL_NIEUW = ["INSTELLINGSCODE", "VESTIGINGSCODE", "INSTELLINGSNAAM VESTIGING", "PLAATSNAAM VESTIGING",
                "PROVINCIE VESTIGING", "SAMENWERKINGSVERBAND PASSEND ONDERWIJS VO",
                "ONDERWIJSTYPE VO EN LEER- OF VERBLIJFSJAAR", "VMBO SECTOR", "AFDELING", "ERKENDE OPLEIDINGSCODE",
                "OPLEIDINGSNAAM", *LEERLINGEN_KOP]
KOP_VEST = ["PROVINCIE", "BEVOEGD GEZAG NUMMER", "BRIN NUMMER", "VESTIGINGSNUMMER", "VESTIGINGSNAAM", "STRAATNAAM",
            "HUISNUMMER-TOEVOEGING", "POSTCODE", "PLAATSNAAM", "GEMEENTENUMMER", "GEMEENTENAAM", "DENOMINATIE",
            "TELEFOONNUMMER", "INTERNETADRES", "ONDERWIJSSTRUCTUUR", "STRAATNAAM CORRESPONDENTIEADRES",
            "HUISNUMMER-TOEVOEGING CORRESPONDENTIEADRES", "POSTCODE CORRESPONDENTIEADRES",
            "PLAATSNAAM CORRESPONDENTIEADRES", "NODAAL GEBIED CODE", "NODAAL GEBIED NAAM", "RPA-GEBIED CODE",
            "RPA-GEBIED NAAM", "WGR-GEBIED CODE", "WGR-GEBIED NAAM", "COROPGEBIED CODE", "COROPGEBIED NAAM",
            "ONDERWIJSGEBIED CODE", "ONDERWIJSGEBIED NAAM", "RMC-REGIO CODE", "RMC-REGIO NAAM"]
KOP_RES = ["VESTIGINGSNUMMER", "INSTELLINGSNAAM VESTIGING", "GEMEENTENAAM VESTIGING", "PROVINCIE VESTIGING",
           "ONDERWIJSTYPE VO", "LEERWEG VMBO", "VMBO SECTOR", "AFDELING", "EXAMENKANDIDATEN", "GESLAAGDEN",
           "GEZAKTEN", "GEMIDDELD CIJFER SCHOOLEXAMEN", "GEMIDDELD CIJFER CENTRAAL EXAMEN",
           "GEMIDDELD CIJFER CIJFERLIJST"]


@dataclass
class Vestiging:
    code: str
    naam: str
    soort: str
    plaats: str
    provincie: str
    gemeente: str  # fictional gemeente code, 4 digits
    regio: int | None
    lat: float
    lon: float
    postcode: str
    instroom: float
    groei: float
    vmbo_aandeel: float  # share of the lj1-2 cohort that goes on in vmbo (rest havo/vwo)
    leerwegen: dict[str, float]  # BB/KB/GL/TL shares within vmbo
    profielen: dict[str, float]  # profiel shares within BB/KB/GL
    techniek_trend: float
    route: bool
    tl_sectoren: dict[str, float] = field(default_factory=dict)


def _vestigingen(rng: np.random.Generator) -> list[Vestiging]:
    uit: list[Vestiging] = []
    brin_nr = 0
    gemeente_nr = 9001
    for regio, _, steden in REGIOS:
        for plaats, provincie, lat, lon in steden:
            gemeente = f"{gemeente_nr:04d}"
            gemeente_nr += 1
            n = 1 + int(rng.random() < 0.35) + (1 if plaats in {"Amsterdam", "Rotterdam", "Den Haag", "Utrecht"} else 0)
            soorten = list(rng.choice(["breed", "vakcollege", "mavo", "breed", "groen"], size=n, replace=True))
            if regio == 3:  # one region with a single technical vestiging (two-schools rule not met)
                soorten = ["mavo"] * n
                if plaats == "Groningen":
                    soorten[0] = "vakcollege"
            if regio == 31:  # a techniekarme region: mostly mavo and havo/vwo
                soorten = ["mavo" if i else "breed" for i in range(n)]
            if rng.random() < 0.4:
                soorten.append("havovwo")
            brin = f"9{brin_nr // 26 % 10}{chr(65 + brin_nr % 26)}{chr(65 + (brin_nr * 7) % 26)}"
            brin_nr += 1
            for i, soort in enumerate(soorten):
                code = f"{brin}{i:02d}"
                techniek = soort == "vakcollege" or (soort == "breed" and regio != 3)
                zwaarte = 0.9 if soort == "vakcollege" else (0.3 if regio == 31 else 0.35)
                prof: dict[str, float] = {}
                if soort in ("breed", "vakcollege", "groen"):
                    kandidaten = ["ZWE", "EO", "DP", "HBR"] if soort != "vakcollege" else ["ZWE", "DP"]
                    if soort == "groen":
                        kandidaten = ["G", "DP", "ZWE"]
                    if techniek:
                        tech = ["BWI", "PIE", "MTR", "MVI"]
                        kandidaten += list(rng.choice(tech, size=2 if soort == "breed" else 4, replace=False))
                        kandidaten += ["MTE"] if plaats in KUST else []
                    gewicht = rng.gamma(2.0, 1.0, size=len(kandidaten))
                    for p, g in zip(kandidaten, gewicht, strict=True):
                        prof[p] = float(g) * (zwaarte if p in rules.TECHNISCHE_PROFIELEN else 1)
                    som = sum(prof.values())
                    prof = {p: g / som for p, g in prof.items()}
                lw = {"breed": [.16, .24, .12, .48], "vakcollege": [.42, .45, .13, 0.0], "mavo": [0, 0, .12, .88],
                      "groen": [.35, .35, .30, 0.0], "havovwo": [0, 0, 0, 0]}[soort]
                lw = np.asarray(lw) * rng.uniform(0.8, 1.2, size=4)
                leerwegen = {k: float(v / lw.sum()) if lw.sum() else 0.0 for k, v in zip(rules.LEERWEGEN, lw, strict=True)}
                if soort == "mavo":
                    prof = {"DP": 0.6, "EO": 0.4}
                tl = rng.gamma(2.0, 1.0, size=3)
                uit.append(Vestiging(
                    code=code,
                    naam=f"{SOORT_NAAM[soort]} {NAAM_A[int(rng.integers(0, len(NAAM_A)))]}",
                    soort=soort, plaats=plaats.upper(), provincie=provincie, gemeente=gemeente,
                    regio=regio, lat=round(lat + float(rng.normal(0, 0.012)), 5),
                    lon=round(lon + float(rng.normal(0, 0.018)), 5),
                    postcode=f"{1000 + (int(gemeente) - 9000) * 180 + i * 11:04d} {chr(65 + i)}{chr(66 + i)}",
                    instroom=float(rng.uniform(150, 320)) * (1.6 if soort == "havovwo" else 1),
                    groei=float(rng.normal(-0.004, 0.018)),
                    vmbo_aandeel=0.0 if soort == "havovwo" else (0.55 if soort == "breed" else 1.0),
                    leerwegen=leerwegen, profielen=prof,
                    techniek_trend=float(rng.normal(0.0, 0.02)), route=bool(techniek and rng.random() < 0.3),
                    tl_sectoren={"Economie": float(tl[0]), "Zorg & Welzijn": float(tl[1]), "Techniek": float(tl[2])},
                ))
    # Two vestigingen that belong to no region yet (schools that have not joined).
    for v in uit:
        if v.plaats == "AMSTERDAM" and v.code.endswith("01"):
            v.regio = None
        if v.plaats == "EINDHOVEN" and v.code.endswith("01"):
            v.regio = None
    return uit


def _cohorten(v: Vestiging, rng: np.random.Generator) -> dict[int, dict[int, int]]:
    """Students per teldatum year and leerjaar (1-4), by cohort progression."""
    jaren = range(SIM_START, max(JAREN) + 1)
    lj: dict[int, dict[int, int]] = {}
    for j in jaren:
        instroom = v.instroom * (1 + v.groei) ** (j - 2015) * float(rng.normal(1, 0.05))
        rij = {1: int(rng.poisson(max(instroom, 1)))}
        vorig = lj.get(j - 1)
        for k, kans in ((2, 0.97), (3, 0.95), (4, 0.96)):
            basis = vorig[k - 1] if vorig else rij[1]
            rij[k] = int(rng.binomial(basis, min(kans + float(rng.normal(0, 0.01)), 1.0)))
        lj[j] = rij
    return lj


def _splits(rng, n: int, kansen: dict[str, float]) -> dict[str, int]:
    if n <= 0 or not kansen:
        return {k: 0 for k in kansen}
    p = np.asarray(list(kansen.values()), dtype=float)
    return dict(zip(kansen, rng.multinomial(n, p / p.sum()).tolist(), strict=True))


def _geslacht(rng, n: int, sleutel: str) -> tuple[int, int]:
    m = int(rng.binomial(n, MANNEN.get(sleutel, 0.5))) if n else 0
    return m, n - m


@dataclass
class Rij:
    """One row of a leerlingen file before it is written in a layout."""

    v: Vestiging
    onderwijstype: str
    sector: str
    afdeling: str
    element: str
    opleiding: str
    tellen: dict[tuple[int, str], int]


def _rijen_jaar(v: Vestiging, jaar: int, lj: dict[int, dict[int, int]], rng) -> list[Rij]:
    rijen = []
    c = lj[jaar]
    m1, v1 = _geslacht(rng, c[1], "HAVO")
    m2, v2 = _geslacht(rng, c[2], "HAVO")
    rijen.append(Rij(v, "Brugjaar 1-2", "N.v.t.", "N.v.t.", "0024", "Ljvb op VWO/HAVO/VMBO-Alle Lw",
                     {(1, "MAN"): m1, (1, "VROUW"): v1, (2, "MAN"): m2, (2, "VROUW"): v2}))
    for leerjaar in (3, 4):
        n = c[leerjaar]
        vmbo = int(rng.binomial(n, v.vmbo_aandeel))
        havo = n - vmbo
        if havo:
            m, w = _geslacht(rng, havo, "HAVO")
            rijen.append(Rij(v, "HAVO/VWO lj 3" if leerjaar == 3 else "HAVO lj 4-5", "N.v.t.", "N.v.t.",
                             "0102" if leerjaar == 3 else "0110", "HAVO/VWO onderbouw" if leerjaar == 3 else "HAVO Prf",
                             {(leerjaar, "MAN"): m, (leerjaar, "VROUW"): w}))
        per_lw = _splits(rng, vmbo, v.leerwegen)
        verschuiving = 1 + v.techniek_trend * (jaar - 2015)
        prof = {p: s * (verschuiving if p in rules.TECHNISCHE_PROFIELEN else 1) for p, s in v.profielen.items()}
        for lw, aantal in per_lw.items():
            if not aantal:
                continue
            ot = f"VMBO {LW_DUO[lw]} lj 3-4"
            if lw == "TL":
                for sector, k in _splits(rng, aantal, v.tl_sectoren).items():
                    if k:
                        m, w = _geslacht(rng, k, "TL")
                        rijen.append(Rij(v, ot, sector, "N.v.t.", "0470", f"MAVO/Theor Lw-Profiel {sector}",
                                         {(leerjaar, "MAN"): m, (leerjaar, "VROUW"): w}))
                continue
            verdeling = dict(prof)
            if v.route and lw == "BB":
                verdeling["ROUTE"] = 0.08
            for p, k in _splits(rng, aantal, verdeling).items():
                if not k:
                    continue
                m, w = _geslacht(rng, k, p)
                if p == "ROUTE":
                    rijen.append(Rij(v, ot, "Techniek", "Vakmanschapsroute Techniek", "6191",
                                     f"VMBO {lw} Vakmanschapsroute Techniek", {(leerjaar, "MAN"): m, (leerjaar, "VROUW"): w}))
                    continue
                naam = rules.PROFIELEN[p] if p != "MTE" else "Maritiem en Techniek"
                rijen.append(Rij(v, ot, SECTOR[p], naam, f"{ELEMENT[p]}{LW_CIJFER[lw]}1",
                                 f"VMBO {lw} {naam}", {(leerjaar, "MAN"): m, (leerjaar, "VROUW"): w}))
    # Merge rows that describe the same opleiding in leerjaar 3 and 4 into one DUO row.
    samen: dict[tuple, Rij] = {}
    for r in rijen:
        sleutel = (r.onderwijstype, r.sector, r.afdeling, r.element, r.opleiding)
        if sleutel in samen:
            for k, n in r.tellen.items():
                samen[sleutel].tellen[k] = samen[sleutel].tellen.get(k, 0) + n
        else:
            samen[sleutel] = r
    return list(samen.values())


def _csv_tekst(kop: list[str], rijen: list[list], quoted: bool) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", quoting=csv.QUOTE_ALL if quoted else csv.QUOTE_MINIMAL,
                   lineterminator="\r\n" if quoted else "\n")
    w.writerow(kop)
    w.writerows(rijen)
    return buf.getvalue()


def _tel(n: int, onderdruk: bool) -> str:
    return "<5" if onderdruk and 0 < n < 5 else str(n)


def _schrijf(pad: Path, tekst: str, encoding: str) -> None:
    pad.parent.mkdir(parents=True, exist_ok=True)
    pad.write_bytes(tekst.encode(encoding))


CBS_ODATA = "https://opendata.cbs.nl/ODataApi/OData/{tabel}/$metadata#Cbs.OData.WebAPI.{wat}"
AM_JAREN = range(2019, 2024)
SBI_DEMO = [("T001081", "A-U Alle economische activiteiten"), ("300003", "B-F Nijverheid en energie"),
            ("354200", "G-N Commerciële dienstverlening"), ("403000", "O-U Niet-commerciële dienstverlening"),
            ("300001", "A Landbouw, bosbouw en visserij")]
UWV_KLASSEN = [("Technische beroepen", "Bouwarbeiders"), ("Technische beroepen", "Metaalarbeiders"),
               ("Technische beroepen", "Elektriciens en elektronicamonteurs"),
               ("Technische beroepen", "Technici bouwkunde en natuur"), ("Technische beroepen", "Procesoperators"),
               ("ICT beroepen", "Software- en applicatieontwikkelaars"), ("Zorg en welzijn beroepen", "Verzorgenden"),
               ("Commerciële beroepen", "Verkopers")]
MBO_DOMEIN = {"BWI": "Bouw en infra", "PIE": "Techniek en procesindustrie", "MTR": "Mobiliteit, transport, logistiek en maritiem",
              "MTE": "Mobiliteit, transport, logistiek en maritiem", "MVI": "Media en vormgeving", "ZWE": "Zorg en welzijn",
              "EO": "Economie en ondernemerschap", "HBR": "Horeca en bakkerij", "G": "Voedsel, natuur en leefomgeving",
              "DP": "Economie en ondernemerschap"}


def _odata(map_: Path, tabel: str, titel: str, dims: list[tuple[str, str, list[tuple[str, str]]]],
           topics: list[tuple[str, str, str]], rijen: list[dict]) -> None:
    """One CBS StatLine table as its OData v3 endpoint responses (the shapes fetch saves)."""
    (map_ / tabel).mkdir(parents=True)

    def schrijf(wat, value):
        _schrijf(map_ / tabel / f"{wat}.json", json.dumps(
            {"odata.metadata": CBS_ODATA.format(tabel=tabel, wat=wat), "value": value}, ensure_ascii=False, indent=1)
            + "\n", "utf-8")

    schrijf("TableInfos", [{"ID": 1, "Title": titel, "Identifier": tabel, "Summary": OMSCHRIJVING}])
    props = [{"odata.type": f"Cbs.OData.{t}", "ID": i, "Position": i, "ParentID": None, "Type": t, "Key": k,
              "Title": k} for i, (k, t, _) in enumerate(dims)]
    props += [{"odata.type": "Cbs.OData.Topic", "ID": len(dims) + i, "Position": len(dims) + i, "ParentID": None,
               "Type": "Topic", "Key": k, "Title": t, "Unit": u} for i, (k, t, u) in enumerate(topics)]
    schrijf("DataProperties", props)
    for k, _, codes in dims:
        schrijf(k, [{"Key": c, "Title": t, "Description": None} for c, t in codes])
    schrijf("TypedDataSet", [{"ID": i, **r} for i, r in enumerate(rijen)])


def _arbeidsmarkt_demo(tmp: Path, rng: np.random.Generator, vestigingen: list[Vestiging]) -> None:
    """Fictional labour-market files in the official layouts: CBS jobs per sector and
    unemployment per arbeidsmarktregio (OData), UWV's spanningsindicator, a doorstroom file."""
    ams = [(code.ljust(6), naam) for code, (naam, _) in ARBEIDSMARKT.items()]
    regio = [("NL01  ", "Nederland (demo)"), *ams]
    perioden = [(f"{j}JJ00", str(j)) for j in AM_JAREN]
    # Jobs (x 1 000) per sector; the country is the sum of the five demo regions.
    banen_rijen, per_am = [], {}
    for code, _ in ams:
        totaal = float(rng.uniform(250, 900))
        tech = float(rng.uniform(0.13, 0.24))
        per_am[code] = (totaal, tech)
    for p, _ in perioden:
        groei = 1 + 0.01 * (int(p[:4]) - AM_JAREN[0])
        cijfers = {}
        for code, _ in ams:
            totaal, tech = per_am[code]
            t = round(totaal * groei * float(rng.normal(1, 0.01)), 1)
            delen = [round(t * tech, 1), round(t * 0.45, 1), round(t * 0.30, 1), round(t * 0.02, 1)]
            cijfers[code] = [t, *delen]
        cijfers["NL01  "] = [round(sum(c[i] for c in cijfers.values()), 1) for i in range(5)]
        for code, _ in regio:
            for (sbi, _), w in zip(SBI_DEMO, cijfers[code], strict=True):
                banen_rijen.append({"BedrijfstakkenBranchesSBI2008": sbi, "RegioS": code, "Perioden": p,
                                    "BanenVanWerknemers_1": w})
    cbs = tmp / "cbs"
    _odata(cbs, "83582NED", "Banen van werknemers; economische activiteit (SBI2008), regio (DEMODATA, fictief)",
           [("BedrijfstakkenBranchesSBI2008", "Dimension", SBI_DEMO), ("RegioS", "GeoDimension", regio),
            ("Perioden", "TimeDimension", perioden)],
           [("BanenVanWerknemers_1", "Banen van werknemers", "x 1 000")], banen_rijen)
    # Unemployment rate per region and year.
    wl_rijen = []
    niveau = {code: float(rng.uniform(3.0, 5.5)) for code, _ in regio}
    for p, _ in perioden:
        for code, _ in regio:
            pct = round(niveau[code] - 0.3 * (int(p[:4]) - AM_JAREN[0]) + float(rng.normal(0, 0.15)), 1)
            wl_rijen.append({"Persoonskenmerken": "T009002", "RegioS": code, "Perioden": p,
                             "Werkloosheidspercentage_4": pct})
    _odata(cbs, "85494NED", "Arbeidsdeelname; regionale indeling (DEMODATA, fictief)",
           [("Persoonskenmerken", "Dimension", [("T009002", "Totaal personen")]), ("RegioS", "GeoDimension", regio),
            ("Perioden", "TimeDimension", perioden)],
           [("Werkloosheidspercentage_4", "Werkloosheidspercentage", "%")], wl_rijen)
    # UWV spanningsindicator, last quarter, per arbeidsmarktregio (by name) and beroepsklasse.
    cats = [c.capitalize() for c in rules.SPANNING_CATEGORIEEN]
    uwv = [["Periode", "Arbeidsmarktregio", "Beroepssegment", "Beroepsklasse", "Spanningsindicator"]]
    for naam in ["Nederland", *[n for _, n in ams]]:
        for segment, klasse in UWV_KLASSEN:
            basis = 3.8 if segment in ("Technische beroepen", "ICT beroepen") else 2.6
            uwv.append(["2023 kwartaal 4", naam.replace(" (demo)", ""), segment, klasse,
                        cats[int(np.clip(round(basis + float(rng.normal(0, 0.8))), 1, 5)) - 1]])
    (tmp / "uwv").mkdir()
    _schrijf(tmp / "uwv" / "uwv-spanningsindicator-demo.csv", _csv_tekst(uwv[0], uwv[1:], False), "utf-8")
    # Doorstroom vmbo -> mbo of the last exam year, per vestiging x profiel x mbo domain.
    door = []
    for v in vestigingen:
        for profiel, aandeel in sorted(v.profielen.items()):
            n = int(rng.poisson(60 * aandeel))
            if n == 0:
                continue
            eigen = int(rng.binomial(n, 0.7))
            for domein, k in ((MBO_DOMEIN[profiel], eigen), ("Economie en ondernemerschap", n - eigen)):
                if k:
                    door.append(["2023", v.code, profiel, domein, _tel(k, True)])
    (tmp / "doorstroom").mkdir()
    _schrijf(tmp / "doorstroom" / "doorstroom-vmbo-mbo-demo.csv",
             _csv_tekst(["JAAR", "VESTIGINGSCODE", "VMBO PROFIEL", "MBO DOMEIN", "AANTAL"], door, False), "utf-8")


BEVOLKING_PEILJAAR = 2021  # residents counted on 1 January of this year
DEELNAME = 0.35  # the share of the children around a vestiging who enter its leerjaar 1


def _bevolking_demo(tmp: Path, rng: np.random.Generator, vestigingen: list[Vestiging]) -> None:
    """Residents aged 0-24 per PC4 in CBS's 5-year bands (the postcode layout of CBS 83502NED),
    consistent with each vestiging's inflow: a birth year b has the inflow of leerjaar 1 in
    b + 12 over DEELNAME, with some noise. The forecast's demographic input on the demo."""
    regels = []
    for v in vestigingen:
        geboren = {b: v.instroom * (1 + v.groei) ** (b + 12 - 2015) / DEELNAME * float(rng.normal(1, 0.04))
                   for b in range(BEVOLKING_PEILJAAR - 25, BEVOLKING_PEILJAAR)}
        for van in range(0, 25, 5):
            n = sum(geboren[BEVOLKING_PEILJAAR - 1 - a] for a in range(van, van + 5))
            regels.append([v.postcode[:4], f"{van}-{van + 4}", str(round(n))])
    _schrijf(tmp / "cbs" / f"inwoners-per-postcode-leeftijd-{BEVOLKING_PEILJAAR}.csv",
             _csv_tekst(["postcode", "leeftijd", "inwoners"], regels, False), "utf-8")


def schrijf_demo(out: Path, seed: int = SEED) -> Path:
    """Generate the complete raw demo dataset into `out` (replaced atomically)."""
    import shapely
    from shapely.geometry import MultiPoint, Point, Polygon, mapping

    rng = np.random.default_rng(seed)
    vestigingen = _vestigingen(rng)
    cohorten = {v.code: _cohorten(v, rng) for v in vestigingen}

    from .store import vrije_uitvoermap, wissel_in

    out = vrije_uitvoermap(out, "data demo")
    tmp = out.parent / f".{out.name}.demo-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "duo").mkdir(parents=True)
    (tmp / "geo").mkdir()

    # Leerlingen per vestiging, one file per year, layout by year.
    lj4: dict[int, dict[str, list[Rij]]] = {}
    for jaar in range(SIM_START + 3, max(JAREN) + 1):
        rijen_jaar = [r for v in vestigingen for r in _rijen_jaar(v, jaar, cohorten[v.code], rng)]
        lj4[jaar] = {}
        for r in rijen_jaar:
            lj4[jaar].setdefault(r.v.code, []).append(r)
        if jaar not in JAREN:
            continue
        nieuw = jaar >= NIEUWE_LAYOUT_VANAF
        regels = []
        for r in rijen_jaar:
            tellen = [_tel(r.tellen.get((lj, g), 0), nieuw) for lj in range(1, 7) for g in ("MAN", "VROUW")]
            if nieuw:
                regels.append([r.v.code[:4], r.v.code, r.v.naam, r.v.plaats, r.v.provincie, "VO2099 (demo)",
                               r.onderwijstype, r.sector, r.afdeling, r.element, r.opleiding, *tellen])
            else:
                regels.append([r.v.code[:4], r.v.code[4:], r.v.naam, r.v.plaats, r.v.provincie, r.onderwijstype,
                               r.sector, r.afdeling, r.element, r.opleiding, *tellen])
        naam = f"01.-leerlingen-vo-per-vestiging-naar-onderwijstype-{jaar}.csv"
        if nieuw:
            _schrijf(tmp / "duo" / naam, _csv_tekst(KOP_LL_NIEUW, regels, True), "utf-8")
        else:
            _schrijf(tmp / "duo" / naam, _csv_tekst(KOP_LL_BRIN, regels, False), "cp1252")

    # Exam candidates: the leerjaar-4 students of a teldatum year sit the exam that school year.
    def examenrijen(jaren: range, nieuw: bool) -> list[list[str]]:
        regels = []
        for v in vestigingen:
            per: dict[str, dict[int, tuple[int, int]]] = {}
            for j in jaren:
                for r in lj4[j].get(v.code, []):
                    if not r.onderwijstype.startswith("VMBO"):
                        continue
                    letter = {"BL": "B", "KL": "K", "GL": "G", "TL": "T"}[r.onderwijstype.split()[1]]
                    opl = f"VMBO {letter} - {EXAMSECTOR[r.sector]}"
                    n = r.tellen.get((4, "MAN"), 0) + r.tellen.get((4, "VROUW"), 0)
                    k0, g0 = per.setdefault(opl, {}).get(j, (0, 0))
                    g = int(rng.binomial(n, 0.93))
                    per[opl][j] = (k0 + n, g0 + g)
            for opl in sorted(per):
                velden = [v.code[:4], v.code, v.naam, v.plaats, "VMBO", "9999", opl]
                for j in jaren:
                    k, g = per[opl].get(j, (0, 0))
                    km = int(rng.binomial(k, 0.5)) if k else 0
                    gm = min(km, int(rng.binomial(g, 0.5))) if g else 0
                    gm = max(gm, g - (k - km))
                    perc = f"{100 * g / k:.1f}" if k else ""
                    if nieuw:
                        velden += [_tel(km, True), _tel(gm, True), f"{100 * gm / km:.1f}" if km else "",
                                   _tel(k - km, True), _tel(g - gm, True),
                                   f"{100 * (g - gm) / (k - km):.1f}" if k - km else "",
                                   _tel(k, True), _tel(g, True), perc]
                    else:
                        velden += [str(km), str(gm), f"{100 * gm / km:.1f}%".replace(".", ",") if km else ",0%",
                                   str(k - km), str(g - gm),
                                   f"{100 * (g - gm) / (k - km):.1f}%".replace(".", ",") if k - km else ",0%",
                                   "0", "0", ",0%", str(k), str(g), perc.replace(".", ",") + "%" if k else ",0%"]
                regels.append(velden)
        return regels

    def examenkop(jaren: range, nieuw: bool) -> list[str]:
        kop = ["INSTELLINGSCODE", "VESTIGINGSCODE"] if nieuw else ["BRIN NUMMER", "VESTIGINGSNUMMER"]
        kop += ["INSTELLINGSNAAM VESTIGING", "GEMEENTENAAM", "ONDERWIJSTYPE VO", "INSPECTIECODE", "OPLEIDINGSNAAM"]
        geslachten = ("MAN", "VROUW", "TOTAAL") if nieuw else ("MAN", "VROUW", "ONBEKEND", "TOTAAL")
        for j in jaren:
            for g in geslachten:
                kop += [f"{w} SCHOOLJAAR {j}-{j + 1} - {g}" for w in ("EXAMENKANDIDATEN", "GESLAAGDEN", "SLAAGPERC")]
        return kop

    oud, nw = range(2014, 2019), range(2019, 2024)
    _schrijf(tmp / "duo" / "examenkandidaten-en-geslaagden-2014-2019.csv",
             _csv_tekst(examenkop(oud, False), examenrijen(oud, False), False), "cp1252")
    _schrijf(tmp / "duo" / "examenkandidaten-en-geslaagden-2019-2024.csv",
             _csv_tekst(examenkop(nw, True), examenrijen(nw, True), True), "utf-8")

    # Results per vestiging x leerweg x profiel, one school year in each layout.
    for jaar, nieuw in ((2018, False), (2023, True)):
        regels = []
        for v in vestigingen:
            for r in lj4[jaar].get(v.code, []):
                if not r.onderwijstype.startswith("VMBO"):
                    continue
                n = r.tellen.get((4, "MAN"), 0) + r.tellen.get((4, "VROUW"), 0)
                if not n:
                    continue
                g = int(rng.binomial(n, 0.93))
                lw = r.onderwijstype.split()[1]
                code = next((c for c, naam in rules.PROFIELEN.items() if naam.lower() == r.afdeling.lower()), "")
                if r.afdeling.startswith("Vakmanschapsroute"):
                    continue
                cijfers = [f"{rng.normal(6.4, 0.3):.1f}".replace(".", ",") for _ in range(3)]
                regels.append([v.code[:4], v.code, v.naam, v.plaats, v.provincie, "VMBO", lw,
                               r.sector, code, _tel(n, nieuw), _tel(g, nieuw),
                               _tel(n - g, nieuw), *cijfers])
        kop = ["INSTELLINGSCODE", "VESTIGINGSCODE", *KOP_RES[1:]] if nieuw else ["BRIN NUMMER", *KOP_RES]
        naam = f"geslaagden-gezakten-en-cijfers-{jaar}-{jaar + 1}.csv"
        _schrijf(tmp / "duo" / naam, _csv_tekst(kop, regels, nieuw), "utf-8" if nieuw else "cp1252")

    # Addresses (the older BRIN layout), with DUO's area columns: nodaal gebied = the town.
    steden = {p.upper(): (i + 1, p) for i, (p, _, _, _) in enumerate(s for _, _, st in REGIOS for s in st)}
    regels = []
    for v in vestigingen:
        nodaal, stad = steden[v.plaats]
        regels.append([v.provincie, "99" + v.code[:4], v.code[:4], v.code, v.naam, "Demostraat", str(10 + int(v.code[4:])),
                       v.postcode, v.plaats, v.gemeente, stad.upper(), "Openbaar", "0000000000",
                       f"www.{v.code.lower()}.demo.invalid", {"havovwo": "HAVO/VWO", "mavo": "VMBO-T"}.get(v.soort, "VMBO"),
                       "Demostraat", str(10 + int(v.code[4:])), v.postcode, v.plaats, f"{nodaal:02d}", stad, "", "",
                       "", "", "", "", "", "", "", ""])
    _schrijf(tmp / "duo" / "02.-alle-vestigingen-vo.csv", _csv_tekst(KOP_VEST, regels, False), "cp1252")

    # School points for all but three vestigingen (those fall back to the PC4 centroid).
    zonder_punt = {v.code for v in vestigingen[5::23]}
    features = [{"type": "Feature", "properties": {"naam": v.naam, "type": "VBO/MAVO", "vestigingscode": v.code,
                                                    "postcode": v.postcode.replace(" ", ""), "plaats": v.plaats},
                 "geometry": {"type": "Point", "coordinates": [v.lon, v.lat]}}
                for v in vestigingen if v.code not in zonder_punt]
    _schrijf(tmp / "geo" / "scholen-demo.geo.json",
             json.dumps({"type": "FeatureCollection", "name": "scholen", "features": features}, ensure_ascii=False), "utf-8")
    pc4 = []
    for v in vestigingen:
        pc4.append(["NL", v.postcode[:4], v.plaats.title(), v.provincie, "", v.plaats.title(), v.gemeente, "", "",
                    f"{v.lat + 0.004:.4f}", f"{v.lon - 0.006:.4f}"])
    _schrijf(tmp / "geo" / "postcodes-pc4-demo.txt", "".join("\t".join(r) + "\n" for r in pc4), "utf-8")

    # Gemeente-like boundaries: Voronoi cells around the towns, clipped to the outline.
    omtrek = Polygon(OMTREK)
    punten = [(lon, lat) for _, _, st in REGIOS for _, _, lat, lon in st]
    cellen = shapely.voronoi_polygons(MultiPoint(punten), extend_to=omtrek.buffer(1))
    gemeenten = []
    for i, (p, (stad, prov, _, _)) in enumerate(zip(punten, [s for _, _, st in REGIOS for s in st], strict=True)):
        cel = next(c for c in cellen.geoms if c.contains(Point(p)))
        geom = shapely.set_precision(cel.intersection(omtrek), 0.0001)
        gemeenten.append((f"GM{9001 + i:04d}", stad, prov, geom))
    regio_van_stad = {s[0]: r for r, _, st in REGIOS for s in st}

    def fc(features):
        return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)

    _schrijf(tmp / "geo" / "gemeenten-demo.geojson", fc([
        {"type": "Feature", "properties": {"statcode": c, "statnaam": s, "rubriek": "gemeente"},
         "geometry": mapping(g)} for c, s, _, g in gemeenten]), "utf-8")
    am = []
    for code, (naam, regs) in ARBEIDSMARKT.items():
        geom = shapely.union_all([g for _, s, _, g in gemeenten if regio_van_stad[s] in regs])
        am.append({"type": "Feature", "properties": {"statcode": code, "statnaam": naam, "rubriek": "arbeidsmarktregio"},
                   "geometry": mapping(shapely.set_precision(geom, 0.0001))})
    _schrijf(tmp / "geo" / "arbeidsmarktregios-demo.geojson", fc(am), "utf-8")

    _arbeidsmarkt_demo(tmp, np.random.default_rng(seed + 1), vestigingen)
    _bevolking_demo(tmp, np.random.default_rng(seed + 2), vestigingen)

    # The fictional STO regio-indeling.
    namen = {nr: naam for nr, naam, _ in REGIOS}
    regels = [[str(v.regio), namen[v.regio], v.code] for v in vestigingen if v.regio is not None]
    _schrijf(tmp / "regio-indeling-demo.csv", _csv_tekst(["regionummer", "regionaam", "vestigingscode"], regels, False),
             "utf-8")
    _schrijf(tmp / "regioportret-demo.json", json.dumps(
        {"regioportret_demo": True, "omschrijving": OMSCHRIJVING, "seed": seed}, indent=1) + "\n", "utf-8")
    _schrijf(tmp / "LEESMIJ.md", (
        "# Demodata: fictieve scholen\n\n"
        "Gegenereerd door `regioportret data demo` (vaste seed). Alle scholen, codes, postcodes, aantallen en\n"
        "regio's zijn verzonnen; alleen de plaatsnamen en hun ligging zijn echt. De bestanden hebben de\n"
        "officiële DUO-indelingen, zodat de demo dezelfde lezers gebruikt als echte data.\n"
        "De arbeidsmarktcijfers (cbs/, uwv/, doorstroom/) zijn ook verzonnen, in de vormen van CBS StatLine\n"
        "(OData), UWV en DUO, en zo ook de inwoners naar leeftijd per postcode (cbs/inwoners-per-postcode-...).\n"),
        "utf-8")

    wissel_in(tmp, out, "data demo")
    return out
