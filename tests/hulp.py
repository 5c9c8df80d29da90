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
