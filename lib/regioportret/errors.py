"""Errors that reach users: one paragraph naming file, line, column and what was expected.

Messages are Dutch because they are shown in the dashboard and on the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class RegioportretError(Exception):
    """Base class for every error meant for a user (never shown as a traceback)."""


@dataclass
class Probleem:
    """One offending place in an input file."""

    regel: int | None = None  # 1-based line number in the file (the header is line 1)
    kolom: str | None = None
    melding: str = ""

    def tekst(self) -> str:
        waar = []
        if self.regel is not None:
            waar.append(f"regel {self.regel}")
        if self.kolom:
            waar.append(f"kolom '{self.kolom}'")
        prefix = ", ".join(waar)
        return f"{prefix}: {self.melding}" if prefix else self.melding


class DataFout(RegioportretError):
    """A raw or processed data file does not have the expected content."""

    def __init__(self, bestand: str | Path | None, problemen: list[Probleem] | str,
                 verwacht: str | None = None, max_getoond: int = 20):
        if isinstance(problemen, str):
            problemen = [Probleem(melding=problemen)]
        self.bestand = str(bestand) if bestand is not None else None
        self.problemen = problemen
        self.verwacht = verwacht
        delen = []
        if self.bestand:
            delen.append(f"Fout in bestand {self.bestand}:")
        getoond = [p.tekst() for p in problemen[:max_getoond]]
        delen.append("; ".join(getoond) + ".")
        if len(problemen) > max_getoond:
            delen.append(f"(en nog {len(problemen) - max_getoond} andere regels)")
        if verwacht:
            delen.append(f"Verwacht: {verwacht}.")
        super().__init__(" ".join(delen))


class IndelingFout(DataFout):
    """The regio-indeling file is inconsistent (conflicts, unknown codes, bad numbers)."""


class SelectieFout(RegioportretError):
    """A user asked for regions or years that do not exist."""


class UitvoerFout(RegioportretError):
    """An output that writing would destroy: it is or holds an input, or holds files the command
    did not write itself. Raised before anything is written or removed."""

    def __init__(self, pad: str | Path, reden: str, advies: str, optie: str = "--out"):
        self.pad = str(pad)
        super().__init__(f"{optie} {pad}: {reden}. Er is niets geschreven of verwijderd. {advies}.")


class SchrijfFout(RegioportretError):
    """An output (or a working folder) that cannot be written: a full disk, a read-only place,
    no rights. Names the output the user gave, never a temporary file next to it."""

    REDENEN = {28: "de schijf is vol", 30: "de schijf is alleen-lezen", 13: "geen schrijfrechten",
               1: "geen schrijfrechten", 122: "de schijfruimte (quota) is op", 20: "een deel van het pad is een bestand",
               21: "het is een map"}

    def __init__(self, pad: str | Path, fout: OSError | str):
        self.pad = str(pad)
        reden = fout if isinstance(fout, str) else self.REDENEN.get(fout.errno, fout.strerror or type(fout).__name__)
        self.reden = reden
        super().__init__(f"{pad}: kan niet geschreven worden ({reden}). Kies een andere plek of maak ruimte vrij.")
