"""Reading DUO's semicolon-separated files: encoding, delimiter, header and counts.

Every check here raises a DataFout that names the file, the line and the column, so a
user who downloaded a broken or unexpected file knows exactly what to fix.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataFout, Probleem

ONDERDRUKT = "<5"  # DUO suppresses counts below 5 as this string


@dataclass
class RuweTabel:
    """A DUO CSV read as strings, with what is needed to point at a line."""

    pad: Path
    encoding: str
    kolommen: list[str]
    df: pd.DataFrame  # all columns as str; index = 0-based data row
    regels: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=int))

    def regel(self, idx) -> int:
        """File line number of a data row (header is line 1)."""
        return int(self.regels[int(idx)])


class Geheugenbestand:
    """A file a user uploaded, read from memory: it names itself like a path in messages but
    never touches the server's disk."""

    def __init__(self, naam: str, inhoud: bytes):
        self.name, self.inhoud = Path(naam).name or "upload.csv", bytes(inhoud)
        self.stem, self.suffix = Path(self.name).stem, Path(self.name).suffix

    def read_bytes(self) -> bytes:
        return self.inhoud

    def __str__(self) -> str:
        return self.name


def als_pad(pad) -> Path | Geheugenbestand:
    return pad if isinstance(pad, Geheugenbestand) else Path(pad)


def lees_tekst(pad: Path) -> tuple[str, str]:
    """Decode a text file as UTF-8 (newer DUO files) or Windows-1252/Latin-1 (older ones)."""
    data = pad.read_bytes()
    if not data.strip():
        raise DataFout(pad, "het bestand is leeg", verwacht="een kopregel en minstens één gegevensregel")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        raise DataFout(
            pad, "het bestand is geen tekst in UTF-8 of Latin-1 (het lijkt UTF-16 of binair)",
            verwacht="een CSV-bestand in UTF-8 of Latin-1 (Windows-1252), zoals DUO het publiceert",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined: plain Latin-1
        return data.decode("latin-1"), "latin-1"


def is_excel(pad) -> bool:
    return str(getattr(pad, "suffix", "")).lower() == ".xlsx"


def _excel_rijen(pad: Path, max_rijen: int | None = None) -> list[list[str]]:
    """The first sheet's rows as text (openpyxl, read-only): DUO publishes some editions as XLSX.
    A whole number stored as a number reads as '12', an empty cell as ''."""
    from openpyxl import load_workbook

    try:
        boek = load_workbook(pad, read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - any unreadable workbook: one clear message
        raise DataFout(pad, f"het Excel-bestand is niet te lezen ({type(e).__name__})",
                       verwacht="een .xlsx-bestand zoals DUO het publiceert") from None
    try:
        blad = boek.worksheets[0]
        uit = []
        for rij in blad.iter_rows(values_only=True, max_row=max_rijen):
            uit.append(["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
                        for v in rij])
        return uit
    finally:
        boek.close()


def kopregel(pad: Path, max_bytes: int = 65536) -> list[str]:
    """The header's column names, cheaply (for recognising layouts); [] if not a DUO CSV."""
    if is_excel(pad):
        rijen = _excel_rijen(pad, max_rijen=1)
        return [c.strip().upper() for c in rijen[0]] if rijen else []
    with open(pad, "rb") as f:
        kop = f.read(max_bytes)
    if kop.startswith(b"\xef\xbb\xbf"):
        kop = kop[3:]
    if not is_tekst(kop):  # random bytes, a zip or Excel file renamed to .csv: say so, never skip it silently
        raise DataFout(pad, [Probleem(regel=1, melding="dit is geen tekstbestand (het bevat binaire tekens)")],
                       verwacht="een CSV-bestand: tekst met een kopregel, velden gescheiden door ';' of ','")
    eerste = kop.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        tekst = eerste.decode("utf-8")
    except UnicodeDecodeError:
        tekst = eerste.decode("latin-1")
    try:
        return [c.strip().strip('"').strip().upper() for c in _splits(tekst)]
    except csv.Error as e:  # not text at all (random bytes, a binary file with a .csv name)
        raise DataFout(pad, [Probleem(regel=1, melding=f"de kopregel is niet te lezen ({e})")],
                       verwacht="een tekstbestand met een kopregel, velden gescheiden door ';'") from None


def is_tekst(begin: bytes) -> bool:
    """Whether a file's first bytes are text: no NUL byte, and hardly any other control bytes
    (random bytes have a NUL in every few hundred; a CSV has none)."""
    stuk = begin[:4096]
    if b"\x00" in stuk:
        return False
    controle = sum(1 for b in stuk if b < 32 and b not in (9, 10, 13))
    return controle <= len(stuk) // 100


def _splits(regel: str) -> list[str]:
    delim = ";" if ";" in regel else ("," if "," in regel else ("\t" if "\t" in regel else ";"))
    return next(csv.reader([regel], delimiter=delim))


def lees_duo_csv(pad: Path, verplicht: list[str], scheiding: str = ";") -> RuweTabel:
    """Read a DUO CSV with all fields as text and check its shape against `verplicht`.

    `scheiding`: the delimiters this layout may use (DUO: ';'; CBS extracts also ',').
    """
    pad = als_pad(pad)
    if is_excel(pad):
        return _lees_excel(pad, verplicht)
    tekst, encoding = lees_tekst(pad)
    eerste = tekst.split("\n", 1)[0].rstrip("\r")
    delim = next((c for c in scheiding if c in eerste), None)
    if delim is None:
        gevonden = "," if "," in eerste else ("tab" if "\t" in eerste else "geen scheidingsteken")
        raise DataFout(
            pad, [Probleem(regel=1, melding=f"de kopregel is niet gescheiden door ';' (gevonden: {gevonden})")],
            verwacht="puntkomma-gescheiden velden, zoals in DUO's open onderwijsdata" if scheiding == ";"
            else "velden gescheiden door " + " of ".join(f"'{c}'" for c in scheiding),
        )
    lezer = csv.reader(io.StringIO(tekst, newline=""), delimiter=delim, quotechar='"', strict=True)
    try:
        kop = [c.strip().upper() for c in next(lezer)]
        n = len(kop)
        rijen: list[list[str]] = []
        regels: list[int] = []
        problemen: list[Probleem] = []
        for rij in lezer:
            if not rij or (len(rij) == 1 and not rij[0].strip()):
                continue  # blank line
            if len(rij) != n:
                problemen.append(Probleem(regel=lezer.line_num, melding=f"{len(rij)} velden in plaats van {n}"))
                continue
            rijen.append(rij)
            regels.append(lezer.line_num)
    except csv.Error as e:
        raise DataFout(pad, [Probleem(regel=lezer.line_num, melding=f"de regel is niet te lezen ({e})")],
                       verwacht="een volledig CSV-bestand (is het bestand afgebroken?)") from None
    if problemen:
        raise DataFout(pad, problemen, verwacht=f"{n} velden per regel, zoals de kopregel (is het bestand afgebroken?)")
    ontbrekend = [k for k in verplicht if k not in kop]
    if ontbrekend:
        raise DataFout(
            pad, [Probleem(regel=1, kolom=k, melding="kolom ontbreekt") for k in ontbrekend],
            verwacht="de kolommen " + ", ".join(verplicht),
        )
    if not rijen:
        raise DataFout(pad, "het bestand heeft alleen een kopregel en geen gegevens",
                       verwacht="minstens één gegevensregel")
    df = pd.DataFrame(rijen, columns=kop, dtype=str)
    for k in kop:
        df[k] = df[k].str.strip()
    return RuweTabel(pad=pad, encoding=encoding, kolommen=kop, df=df, regels=np.asarray(regels))


def _lees_excel(pad: Path, verplicht: list[str]) -> RuweTabel:
    """An XLSX edition of a DUO file, as the same RuweTabel its CSV gives (line = Excel row)."""
    rijen = _excel_rijen(pad)
    while rijen and not any(c.strip() for c in rijen[-1]):
        rijen.pop()
    if not rijen:
        raise DataFout(pad, "het bestand is leeg", verwacht="een kopregel en minstens één gegevensregel")
    kop = [c.strip().upper() for c in rijen[0]]
    while kop and not kop[-1]:  # trailing empty header cells of a formatted sheet
        kop.pop()
    n = len(kop)
    data, regels = [], []
    for i, rij in enumerate(rijen[1:], start=2):
        rij = (rij + [""] * n)[:n]
        if any(c.strip() for c in rij):
            data.append(rij)
            regels.append(i)
    ontbrekend = [k for k in verplicht if k not in kop]
    if ontbrekend:
        raise DataFout(pad, [Probleem(regel=1, kolom=k, melding="kolom ontbreekt") for k in ontbrekend],
                       verwacht="de kolommen " + ", ".join(verplicht))
    if not data:
        raise DataFout(pad, "het bestand heeft alleen een kopregel en geen gegevens", verwacht="minstens één gegevensregel")
    df = pd.DataFrame(data, columns=kop, dtype=str)
    for k in kop:
        df[k] = df[k].str.strip()
    return RuweTabel(pad=pad, encoding="xlsx", kolommen=kop, df=df, regels=np.asarray(regels))


_GETAL = re.compile(r"^\d+$")


def tellingen(raw: RuweTabel, kolom: str) -> tuple[np.ndarray, np.ndarray]:
    """Parse a count column: returns (values as float with NaN where suppressed, suppressed mask).

    Empty cells count as 0 (DUO leaves some zero cells empty); '<5' stays suppressed;
    anything else that is not a whole non-negative number is an error.
    """
    s = raw.df[kolom].astype(str).str.strip()
    onderdrukt = (s == ONDERDRUKT).to_numpy()
    leeg = (s == "").to_numpy()
    geldig = s.str.match(_GETAL).to_numpy()
    fout = ~(onderdrukt | leeg | geldig)
    if fout.any():
        problemen = []
        for i in np.flatnonzero(fout):
            waarde = s.iloc[i]
            reden = "negatieve telling" if waarde.startswith("-") else "geen geheel getal"
            problemen.append(Probleem(regel=raw.regel(s.index[i]), kolom=kolom, melding=f"{reden}: '{waarde}'"))
        raise DataFout(raw.pad, problemen, verwacht="een geheel getal >= 0 of '<5' (onderdrukt)")
    waarden = np.zeros(len(s), dtype="float64")
    waarden[geldig] = s[geldig].astype("int64").to_numpy()
    waarden[onderdrukt] = np.nan
    return waarden, onderdrukt


def controleer_uniek(raw: RuweTabel, sleutel: list[str], wat: str) -> None:
    """Duplicate rows would be counted twice: refuse them, listing every line."""
    dubbel = raw.df.duplicated(subset=sleutel, keep=False)
    if dubbel.any():
        rijen = raw.df[dubbel]
        groepen = rijen.groupby(sleutel, sort=False).groups
        problemen = [
            Probleem(regel=raw.regel(idx[0]),
                     melding=f"dubbele {wat} (ook op regel " + ", ".join(str(raw.regel(i)) for i in idx[1:]) + ")")
            for idx in groepen.values()
        ]
        raise DataFout(raw.pad, problemen, verwacht="één regel per " + " + ".join(sleutel))
