"""Readers of the official raw files, one module per layout family.

Files are recognised by their header or content, never by their name. `scan` walks a
folder of any nesting and says, for every file, which layout it has or why it was skipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataFout, Probleem
from . import (
    arbeidsmarkt,
    bevolking,
    duoprognose,
    examens,
    indeling,
    leerlingen,
    po_leerlingen,
    resultaten,
    rio,
    vestigingen,
    woonplaats,
)
from ._csv import kopregel
from .common import Layout
from .grenzen import lees_grenzen, soort_van
from .locaties import is_geonames, is_puntenbestand, lees_pc4, lees_punten

CSV_LAYOUTS: list[Layout] = [
    *leerlingen.LAYOUTS, *vestigingen.LAYOUTS, *examens.LAYOUTS, *resultaten.LAYOUTS, *indeling.LAYOUTS,
    *bevolking.LAYOUTS, *duoprognose.LAYOUTS, *arbeidsmarkt.LAYOUTS, *woonplaats.LAYOUTS, *po_leerlingen.LAYOUTS,
    *rio.LAYOUTS,
]
DEMO_MARKER = "regioportret_demo"
_TEKST = {".csv", ".txt", ".tsv"}
_EXCEL = {".xlsx"}
_JSON = {".json", ".geojson", ".topojson"}


@dataclass
class Bestand:
    pad: Path
    layout: str
    tabel: str
    omschrijving: str
    lees: object = field(repr=False)  # () -> frame


@dataclass
class Inventaris:
    bestanden: list[Bestand] = field(default_factory=list)
    overgeslagen: list[tuple[Path, str]] = field(default_factory=list)
    demo: dict | None = None

    def van(self, tabel: str) -> list[Bestand]:
        return [b for b in self.bestanden if b.tabel == tabel]


def herken_csv(pad: Path) -> Layout | None:
    """The layout whose required columns the header has; DataFout for a near miss."""
    kop = kopregel(pad)
    passend = [lay for lay in CSV_LAYOUTS if lay.past(kop)]
    if passend:
        return max(passend, key=lambda lay: len(lay.verplicht))
    # A file that clearly tries to be one of ours but misses columns: say which.
    beste = max(CSV_LAYOUTS, key=lambda lay: lay.overlap(kop))
    if beste.overlap(kop) >= 0.6 and len(set(beste.verplicht) & set(kop)) >= 3:
        ontbrekend = [k for k in beste.verplicht if k not in kop]
        raise DataFout(pad, [Probleem(regel=1, kolom=k, melding="kolom ontbreekt") for k in ontbrekend],
                       verwacht=f"het formaat '{beste.omschrijving}'")
    return None


def herken(pad: Path) -> Bestand | None:
    """What a single file is, or None when it is none of the known layouts."""
    pad = Path(pad)
    suffix = pad.suffix.lower()
    if suffix in _TEKST:
        if pad.stat().st_size == 0:
            raise DataFout(pad, "het bestand is leeg", verwacht="een kopregel en gegevens")
        lay = herken_csv(pad)
        if lay is not None:
            return Bestand(pad, lay.naam, lay.tabel, lay.omschrijving, lambda: lay.lees(pad))
        if is_geonames(pad):
            return Bestand(pad, "geonames-pc4", "pc4", "GeoNames postcodes NL (PC4-centroïden)", lambda: lees_pc4(pad))
        return None
    if suffix in _EXCEL:
        if arbeidsmarkt.is_uwv_xlsx(pad):
            return Bestand(pad, "uwv-spanningsindicator-xlsx", "spanning",
                           "UWV spanningsindicator per arbeidsmarktregio en beroepsklasse (Excel)",
                           lambda: arbeidsmarkt.lees_uwv(pad))
        lay = herken_csv(pad)  # DUO's XLSX editions: the same columns as the CSV, read the same way
        if lay is not None:
            return Bestand(pad, lay.naam + "-xlsx", lay.tabel, lay.omschrijving + " (Excel)", lambda: lay.lees(pad))
        return None
    if suffix in _JSON:
        try:
            obj = json.loads(pad.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise DataFout(pad, f"geen geldige JSON ({e})", verwacht="GeoJSON of TopoJSON in UTF-8") from None
        if arbeidsmarkt.is_typeddataset(obj):
            return Bestand(pad, "cbs-odata", "arbeidsmarkt", "CBS StatLine OData (TypedDataSet)",
                           lambda: arbeidsmarkt.lees_cbs(pad, obj))
        if isinstance(obj, dict) and "odata.metadata" in obj:
            return Bestand(pad, "cbs-odata-deel", "odata-deel", "Onderdeel van een CBS-tabel", lambda: None)
        if isinstance(obj, dict) and DEMO_MARKER in obj:
            return Bestand(pad, "demo-marker", "demo", "Markering: demodata", lambda: obj)
        if isinstance(obj, dict) and is_puntenbestand(obj):
            return Bestand(pad, "scholen-punten", "punten", "Schoolpunten (GeoJSON, per vestigingscode)",
                           lambda: lees_punten(pad, obj))
        soort = soort_van(obj) if isinstance(obj, dict) else None
        if soort:
            return Bestand(pad, f"grenzen-{soort}", soort, f"CBS-gebiedsindeling {soort} (WGS84)",
                           lambda: lees_grenzen(pad, soort))
        return None
    return None


DATA_EXTENSIES = {".csv", ".xlsx", ".json", ".geojson", ".topojson", ".txt", ".parquet"}


def _kop_tekst(pad: Path) -> str:
    """' (kopregel: A;B;C)' for a text file we did not recognise, so a user sees what was read."""
    if pad.suffix.lower() not in _TEKST:
        return ""
    try:
        kop = kopregel(pad)
    except (DataFout, OSError):
        return ""
    tekst = ";".join(kop[:8]) + (";…" if len(kop) > 8 else "")
    return f" (kopregel: {tekst[:120]}{'…' if len(tekst) > 120 else ''})" if kop else ""


def scan(map_: Path) -> Inventaris:
    map_ = Path(map_)
    if not map_.is_dir():
        raise DataFout(map_, "map bestaat niet", verwacht="een map met DUO/CBS-bestanden")
    inv = Inventaris()
    mappen = sorted(p for p in map_.rglob("*") if p.is_dir() and p.suffix.lower() in DATA_EXTENSIES)
    if mappen:
        raise DataFout(mappen[0], "dit is een map, geen bestand",
                       verwacht=f"een {mappen[0].suffix}-bestand op deze plaats (of een andere naam voor de map)")
    for pad in sorted(p for p in map_.rglob("*") if p.is_file() and not p.name.startswith(".")):
        b = herken(pad)
        if b is None:
            inv.overgeslagen.append((pad, "geen bekend formaat" + _kop_tekst(pad)))
        elif b.tabel == "odata-deel":
            inv.overgeslagen.append((pad, "hoort bij de CBS-tabel in TypedDataSet.json (daar gelezen)"))
        elif b.tabel == "demo":
            inv.demo = b.lees()
        else:
            inv.bestanden.append(b)
    return inv


__all__ = ["scan", "herken", "Inventaris", "Bestand", "CSV_LAYOUTS"]
