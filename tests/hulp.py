"""Helpers shared by the tests: paths and an independent reader of raw DUO files."""

from __future__ import annotations

import csv
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT = Path(__file__).resolve().parents[1]
DEMO = PROJECT / "data" / "demo"


def lees_csv(pad: Path, encoding: str) -> list[dict]:
    """Independent reading of a raw DUO file with the standard library (for cross-checks)."""
    with open(pad, encoding=encoding, newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def geheel(x: str) -> int:
    return 0 if x in ("", "<5") else int(x)


def pdf_tekst(pdf: bytes) -> str:
    """A PDF's text as one line (a table cell or a sentence may wrap anywhere)."""
    import io

    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def aaneen(tekst: str) -> str:
    """Text without any white space: a wrapped cell ('1.416 (1.399–' / '1.448)') compares equal."""
    return "".join(tekst.split())
