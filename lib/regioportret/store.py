"""The processed dataset: tidy parquet tables plus a manifest of every source.

`bouw` turns a raw folder into a processed one atomically; `laad` opens a processed folder,
or a raw one through a cache, or the embedded demo data. Loading is lazy and light (no
pandera, no geopandas until a map needs it) so that a page opens fast.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import warnings
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import pandas as pd

from .errors import DataFout

FORMAAT = "regioportret-verwerkt"
VERSIE = 3
TABELLEN = ("leerlingen", "vestigingen", "examens", "resultaten", "locaties", "indeling", "arbeidsmarktkoppeling")
GEO = ("gemeenten", "arbeidsmarktregios")
PROJECT = Path(__file__).resolve().parents[2]
DEMO = PROJECT / "data" / "demo"


def cachemap() -> Path:
    basis = os.environ.get("REGIOPORTRET_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "regioportret")
    return Path(basis)


def is_verwerkt(map_: Path) -> bool:
    m = Path(map_) / "manifest.json"
    if not m.is_file():
        return False
    try:
        return json.loads(m.read_text()).get("formaat") == FORMAAT
    except json.JSONDecodeError:
        return False


class Dataset:
    """A processed dataset on disk; tables are read on first use."""

    def __init__(self, map_: Path):
        self.map = Path(map_)
        self.manifest = json.loads((self.map / "manifest.json").read_text(encoding="utf-8"))
        if self.manifest.get("formaat") != FORMAAT or self.manifest.get("versie") != VERSIE:
            raise DataFout(self.map / "manifest.json", "onbekende versie van de verwerkte data",
                           verwacht=f"{FORMAAT} versie {VERSIE}; bouw opnieuw met 'regioportret data build'")

    def _tabel(self, naam: str) -> pd.DataFrame | None:
        pad = self.map / f"{naam}.parquet"
        return pd.read_parquet(pad) if pad.exists() else None

    def lees(self, naam: str, kolommen: list[str] | None = None, filters: list | None = None) -> pd.DataFrame | None:
        """A narrow read (only these columns, rows pushed down to parquet), not kept in memory.

        The dashboard needs a fraction of the student table; reading just that keeps a
        page's kernel small.
        """
        pad = self.map / f"{naam}.parquet"
        return pd.read_parquet(pad, columns=kolommen, filters=filters) if pad.exists() else None

    @cached_property
    def leerlingen(self) -> pd.DataFrame:
        return self._tabel("leerlingen")

    @cached_property
    def vestigingen(self) -> pd.DataFrame:
        return self._tabel("vestigingen")

    @cached_property
    def examens(self) -> pd.DataFrame | None:
        return self._tabel("examens")

    @cached_property
    def resultaten(self) -> pd.DataFrame | None:
        return self._tabel("resultaten")

    @cached_property
    def locaties(self) -> pd.DataFrame | None:
        return self._tabel("locaties")

    @cached_property
    def indeling(self) -> pd.DataFrame | None:
        return self._tabel("indeling")

    @cached_property
    def arbeidsmarktkoppeling(self) -> pd.DataFrame | None:
        """vestigingscode -> arbeidsmarktregio (spatial join at build time: no geometry needed later)."""
        return self._tabel("arbeidsmarktkoppeling")

    @cached_property
    def bevolking(self) -> pd.DataFrame | None:
        """CBS inhabitants by age band (optional input of the forecast)."""
        return self._tabel("bevolking")

    @cached_property
    def duoprognose(self) -> pd.DataFrame | None:
        """DUO's own leerlingenprognose, when the user supplied it (scored, never used)."""
        return self._tabel("duoprognose")

    @cached_property
    def arbeidsmarkt(self) -> pd.DataFrame | None:
        """CBS figures per arbeidsmarktregio: jobs per sector, unemployment."""
        return self._tabel("arbeidsmarkt")

    @cached_property
    def spanning(self) -> pd.DataFrame | None:
        """UWV spanningsindicator per arbeidsmarktregio and beroepsklasse."""
        return self._tabel("spanning")

    @cached_property
    def doorstroom(self) -> pd.DataFrame | None:
        """Doorstroom vmbo -> mbo per profiel and mbo domain (when supplied)."""
        return self._tabel("doorstroom")

    def _geo(self, naam: str):
        pad = self.map / f"{naam}.parquet"
        if not pad.exists():
            return None
        import geopandas as gpd

        return gpd.read_parquet(pad)

    @cached_property
    def gemeenten(self):
        return self._geo("gemeenten")

    @cached_property
    def arbeidsmarktregios(self):
        return self._geo("arbeidsmarktregios")

    @property
    def is_demo(self) -> bool:
        return bool(self.manifest.get("demo"))

    @property
    def jaren(self) -> list[int]:
        return self.manifest["jaren"]["leerlingen"]

    def bronnen(self, tabel: str) -> list[dict]:
        return [b for b in self.manifest["bronnen"] if b["tabel"] == tabel]

    def __repr__(self) -> str:
        return f"Dataset({self.map}, jaren={self.jaren}, demo={self.is_demo})"


def _sha256(pad: Path) -> str:
    h = hashlib.sha256()
    with open(pad, "rb") as f:
        for blok in iter(lambda: f.read(1 << 20), b""):
            h.update(blok)
    return h.hexdigest()


def _samen(frames: list[pd.DataFrame]) -> pd.DataFrame | None:
    return pd.concat(frames, ignore_index=True) if frames else None


def bouw(raw: Path, out: Path, voortgang: bool = True) -> Path:
    """Read every recognised file under `raw` and write the processed dataset to `out`.

    Written to a temporary folder next to `out` and swapped in only when complete, so a
    failed build leaves the previous dataset intact.
    """
    from tqdm.auto import tqdm

    from .sources import scan
    from .sources.locaties import koppel

    raw, out = Path(raw).resolve(), Path(out).resolve()
    inv = scan(raw)
    if not inv.van("leerlingen"):
        raise DataFout(raw, "geen bestand met leerlingen per vestiging gevonden",
                       verwacht="minstens één DUO-bestand '01. Leerlingen vo per vestiging naar onderwijstype'")
    gelezen: dict[str, list] = {}
    bronnen = []
    waarschuwingen: list[str] = []
    for b in tqdm(inv.bestanden, desc="Bronbestanden lezen", unit="bestand", disable=not voortgang):
        frame = b.lees()
        gelezen.setdefault(b.tabel, []).append((b, frame))
        bronnen.append({"bestand": b.pad.name, "pad": str(b.pad.relative_to(raw)), "layout": b.layout,
                        "omschrijving": b.omschrijving, "tabel": b.tabel, "rijen": int(len(frame)),
                        "sha256": _sha256(b.pad),
                        "jaren": sorted({int(j) for j in frame["jaar"].dropna()}) if "jaar" in frame else None})

    def frames(tabel):
        return [f for _, f in gelezen.get(tabel, [])]

    leerlingen = _samen(frames("leerlingen"))
    per_jaar = {}
    for b, f in gelezen["leerlingen"]:
        for j in f["jaar"].unique():
            if j in per_jaar:
                raise DataFout(b.pad, f"het jaar {j} staat ook in {per_jaar[j]}",
                               verwacht="één leerlingenbestand per jaar")
            per_jaar[j] = b.pad.name

    vest_frames = frames("vestigingen")
    if len(vest_frames) > 1:
        waarschuwingen.append("meer bestanden met vestigingen: bij dubbele codes telt het laatste bestand")
    vestigingen = _samen(vest_frames)
    if vestigingen is not None:
        vestigingen = vestigingen.drop_duplicates("vestigingscode", keep="last").reset_index(drop=True)

    examens = _samen(frames("examens"))
    if examens is not None:  # overlapping five-year files: the newest publication wins
        examens["_nieuwst"] = examens.groupby("bron")["jaar"].transform("max")
        examens = (examens.sort_values("_nieuwst")
                   .drop_duplicates(["jaar", "vestigingscode", "onderwijstype", "opleidingsnaam"], keep="last")
                   .drop(columns="_nieuwst").sort_values(["jaar", "vestigingscode"]).reset_index(drop=True))
    resultaten = _samen(frames("resultaten"))
    bevolking = _samen(frames("bevolking"))
    duoprognose = _samen(frames("duoprognose"))
    arbeidsmarkt = _samen(frames("arbeidsmarkt"))
    spanning = _samen(frames("spanning"))
    doorstroom = _samen(frames("doorstroom"))

    indelingen = gelezen.get("indeling", [])
    if len(indelingen) > 1:
        raise DataFout(raw, "meer dan één regio-indeling gevonden: " + ", ".join(b.pad.name for b, _ in indelingen),
                       verwacht="hoogstens één regio-indeling per datamap (kies er een met --indeling)")
    indeling_df = indelingen[0][1] if indelingen else None

    # Locations for every vestiging we know of (address list, plus codes only seen in counts).
    bekend = vestigingen[["vestigingscode", "postcode"]] if vestigingen is not None else \
        pd.DataFrame(columns=["vestigingscode", "postcode"])
    extra = leerlingen.loc[~leerlingen["vestigingscode"].isin(bekend["vestigingscode"]), ["vestigingscode"]]
    bekend = pd.concat([bekend, extra.drop_duplicates().assign(postcode="")], ignore_index=True)
    pc4 = _samen(frames("pc4"))
    if pc4 is not None:
        pc4 = pc4.groupby("pc4", as_index=False)[["lat", "lon"]].mean()
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        locaties, zonder = koppel(bekend, frames("punten"), pc4)
    waarschuwingen += [str(x.message) for x in w]

    geo = {}
    for soort, naam in (("gemeente", "gemeenten"), ("arbeidsmarktregio", "arbeidsmarktregios")):
        fs = gelezen.get(soort, [])
        if fs:
            if len(fs) > 1:
                waarschuwingen.append(f"meer bestanden met {naam}: {fs[0][0].pad.name} gebruikt")
            geo[naam] = fs[0][1]

    koppeling = None
    if "arbeidsmarktregios" in geo and len(locaties):
        from .sources.grenzen import koppel_punten

        koppeling = koppel_punten(locaties, geo["arbeidsmarktregios"])

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.bouw-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        tabellen = {"leerlingen": leerlingen, "vestigingen": vestigingen, "examens": examens,
                    "resultaten": resultaten, "locaties": locaties, "indeling": indeling_df,
                    "arbeidsmarktkoppeling": koppeling, "bevolking": bevolking, "duoprognose": duoprognose,
                    "arbeidsmarkt": arbeidsmarkt, "spanning": spanning, "doorstroom": doorstroom}
        for naam, df in tabellen.items():
            if df is not None:
                df.to_parquet(tmp / f"{naam}.parquet", index=False)
        for naam, g in geo.items():
            g.to_parquet(tmp / f"{naam}.parquet", index=False)
        manifest = {
            "formaat": FORMAAT, "versie": VERSIE,
            "gebouwd": datetime.now(UTC).isoformat(timespec="seconds"),
            "raw": str(raw),
            "demo": bool(inv.demo),
            "demo_omschrijving": (inv.demo or {}).get("omschrijving"),
            "bronnen": bronnen,
            "overgeslagen": [{"pad": str(p.relative_to(raw)), "reden": r} for p, r in inv.overgeslagen],
            "waarschuwingen": waarschuwingen,
            "zonder_locatie": zonder,
            "tabellen": sorted([n for n, d in tabellen.items() if d is not None] + list(geo)),
            "jaren": {
                "leerlingen": sorted(int(j) for j in leerlingen["jaar"].unique()),
                "examens": sorted(int(j) for j in examens["jaar"].unique()) if examens is not None else [],
                "resultaten": sorted(int(j) for j in resultaten["jaar"].unique()) if resultaten is not None else [],
            },
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
        wissel_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def wissel_in(tmp: Path, out: Path) -> None:
    """Put the completely written folder `tmp` in place of `out` (two renames; the old folder is
    removed after), so a reader never sees half a folder."""
    oud = out.parent / f".{out.name}.oud-{os.getpid()}"
    if out.exists():
        out.rename(oud)
    tmp.rename(out)
    shutil.rmtree(oud, ignore_errors=True)


def _sleutel(raw: Path) -> str:
    """Cache key of a raw folder: the files' names, sizes and modification times."""
    from . import __version__

    h = hashlib.sha256(f"{FORMAAT}{VERSIE}{__version__}{raw.resolve()}".encode())
    for p in sorted(raw.rglob("*")):
        if p.is_file():
            st = p.stat()
            h.update(f"{p.relative_to(raw)}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def data_map(data: str | os.PathLike | None = None) -> Path:
    """The data folder to use: the argument, else $REGIOPORTRET_DATA, else the embedded demo."""
    kandidaat = data or os.environ.get("REGIOPORTRET_DATA") or DEMO
    pad = Path(kandidaat).expanduser()
    if not pad.is_dir():
        raise DataFout(pad, "de datamap bestaat niet", verwacht="een map met ruwe DUO/CBS-bestanden of verwerkte data")
    return pad


def laad(data: str | os.PathLike | None = None, voortgang: bool = False) -> Dataset:
    """Open a dataset: processed folder as is; raw folder processed once and cached."""
    pad = data_map(data)
    if is_verwerkt(pad):
        return Dataset(pad)
    doel = cachemap() / _sleutel(pad)
    if not is_verwerkt(doel):
        with slot(doel):  # several kernels may open the same raw folder at once: build it once
            if not is_verwerkt(doel):
                bouw(pad, doel, voortgang=voortgang)
    return Dataset(doel)


@contextmanager
def slot(doel: Path):
    """An exclusive lock next to `doel`: several kernels asking for the same cache compute it once."""
    doel.parent.mkdir(parents=True, exist_ok=True)
    with open(doel.parent / f".{doel.name}.lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
