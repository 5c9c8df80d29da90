"""The processed dataset: tidy parquet tables plus a manifest of every source, and the one
place for caches, locks and atomic writes.

`bouw` turns a raw folder into a processed one atomically; `laad` opens a processed folder,
or a raw one through a cache, or the embedded demo data. Loading is lazy and light (no
pandera, no geopandas until a map needs it) so that a page opens fast. `bewaard` keeps a
computed basis (forecast, map layers) on disk under a lock, readable by a page's kernel that
has no pyarrow (`elders` reads parquet for such a kernel); `schrijf_atomair` and
`wissel_in` are the only ways the package puts a file or folder in place.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import pickle
import shutil
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from importlib.util import find_spec
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from .errors import DataFout, SchrijfFout, UitvoerFout

FORMAAT = "regioportret-verwerkt"
VERSIE = 5
# Small tables a page needs: read once from parquet, then from the cache (see Dataset._tabel).
KLEINE_TABELLEN = frozenset({"vestigingen", "locaties", "indeling", "arbeidsmarktkoppeling", "plaatsen", "pc4",
                             "arbeidsmarkt", "spanning", "doorstroom"})
TABELLEN = ("leerlingen", "vestigingen", "examens", "resultaten", "locaties", "indeling", "arbeidsmarktkoppeling",
            "plaatsen", "pc4")
GEO = ("gemeenten", "arbeidsmarktregios")
VERPLICHTE_TABELLEN = frozenset({"leerlingen"})  # `bouw` refuses a raw folder without student files
T = TypeVar("T")
log = logging.getLogger("regioportret")


# Folders shipped inside the package, and where they stand in the source tree (pyproject.toml
# maps each to regioportret.<name>).
PAKKETMAPPEN = {"demodata": "data/demo", "notebooks": "notebooks", "voila": "voila", "docs": "docs"}


def pakketmap(naam: str) -> Path:
    """A folder shipped inside the package (`demodata`, `notebooks`, `voila`, `docs`).

    Installed normally (`pip install .`) it is a folder inside regioportret/, found by the
    import system; an editable install maps it to the source tree, which its finder does not
    expose for data-only folders, so that is the fallback.
    """
    spec = find_spec(f"regioportret.{naam}")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    bron = Path(__file__).resolve().parents[2] / PAKKETMAPPEN[naam]
    if bron.is_dir():
        return bron
    raise DataFout(Path(naam), "deze map ontbreekt in de installatie van regioportret",
                   verwacht="een volledige installatie (pip install regioportret)")


def demo_map() -> Path:
    """The embedded demo data (`data/demo` in the source tree)."""
    return pakketmap("demodata")


_SCHRIJFBAAR: dict[str, bool] = {}  # cache folder -> can this process write it (tried once)
_TIJDELIJK: dict[str, Path] = {}  # raw folder's key -> where it was built when the cache could not be written


def cache_onbruikbaar(map_: Path, fout: BaseException) -> None:
    """The cache is only a speed-up: when it cannot be written, everything goes on without it
    (slower). Said once per process and folder in the server log; never shown to a user."""
    if _SCHRIJFBAAR.get(str(map_)) is not False:
        log.warning("regioportret: de cache %s is niet te gebruiken (%s: %s); alles werkt zonder, maar trager",
                    map_, type(fout).__name__, fout)
    _SCHRIJFBAAR[str(map_)] = False


def cache_schrijfbaar() -> bool:
    """Can this process write the cache folder? Tried once with a small probe file."""
    map_ = cachemap()
    if str(map_) not in _SCHRIJFBAAR:
        try:
            map_.mkdir(parents=True, exist_ok=True)
            probe = map_ / f".schrijftest-{os.getpid()}"
            probe.write_bytes(b"x")
            probe.unlink()
            _SCHRIJFBAAR[str(map_)] = True
        except OSError as e:
            cache_onbruikbaar(map_, e)
    return _SCHRIJFBAAR[str(map_)]


@contextmanager
def schrijven_naar(uitvoer: Path):
    """Turn a failed write below `uitvoer` into a SchrijfFout naming the output the user gave
    (exit 1, 'kan niet geschreven worden'), not a read error or a temporary file's name."""
    try:
        yield
    except OSError as e:
        raise SchrijfFout(uitvoer, e) from e


def cachemap() -> Path:
    """$REGIOPORTRET_CACHE, else the platform's user cache folder (platformdirs)."""
    if os.environ.get("REGIOPORTRET_CACHE"):
        return Path(os.environ["REGIOPORTRET_CACHE"])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("regioportret", appauthor=False))


def is_verwerkt(map_: Path) -> bool:
    m = Path(map_) / "manifest.json"
    try:
        return m.is_file() and json.loads(m.read_text()).get("formaat") == FORMAAT
    except (OSError, ValueError):
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
        if naam in KLEINE_TABELLEN:  # a page reads these from the cache: no parquet reader in its kernel
            return bewaard(f"tabel-{naam}", self.cachesleutel, lambda: self.lees(naam))
        return self.lees(naam)

    @cached_property
    def cachesleutel(self) -> str:
        """What a cached basis of this dataset depends on: the folder, the build and the SHA-256 of
        every source file (a rebuild from other files within the same second gets another key)."""
        bronnen = json.dumps(sorted((b.get("bestand", ""), b.get("sha256", "")) for b in self.manifest.get("bronnen", [])))
        return hashlib.sha256(f"{VERSIE}|{self.map.resolve()}|{self.manifest.get('gebouwd')}|{bronnen}".encode()
                              ).hexdigest()[:16]

    def heeft(self, naam: str) -> bool:
        """Whether the processed dataset has this table, without reading it (a page kernel asks
        this for tables it only needs when a cached basis is missing)."""
        return (self.map / f"{naam}.parquet").exists()

    def lees(self, naam: str, kolommen: list[str] | None = None, filters: list | None = None) -> pd.DataFrame | None:
        """A narrow read (only these columns, rows pushed down to parquet), not kept in memory.

        The dashboard needs a fraction of the student table; reading just that keeps a
        page's kernel small. A damaged file is a clear error that names it.
        """
        pad = self.map / f"{naam}.parquet"
        if not pad.exists():
            if naam in VERPLICHTE_TABELLEN:  # every processed dataset has it: the data went away while in use
                raise DataFout(pad, "het bestand is er niet meer (de data is verplaatst of verwijderd nadat de "
                               "pagina openging)", verwacht="de verwerkte data; laad de pagina opnieuw zodra de data "
                               "terug is")
            return None
        if not parquetlezer():
            return elders("lees", pad, kolommen, filters)
        try:
            return pd.read_parquet(pad, columns=kolommen, filters=filters)
        except (OSError, ValueError) as e:  # pyarrow's ArrowInvalid is a ValueError
            raise DataFout(pad, f"het verwerkte bestand is beschadigd of geen parquet ({type(e).__name__})",
                           verwacht="bouw de data opnieuw met 'regioportret data build'") from None

    def vestigingscodes(self) -> set[str]:
        """Every vestigingscode the data knows: in the student counts or in the address list.
        Kept in the cache: reading the student table's code column costs a page about 20 MB."""
        def maak() -> set[str]:
            codes = set(self.lees("leerlingen", ["vestigingscode"])["vestigingscode"])
            return codes | (set(self.vestigingen["vestigingscode"]) if self.vestigingen is not None else set())

        return set(bewaard("vestigingscodes", self.cachesleutel, maak))

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

    def zonder_adres(self) -> dict:
        """What the example indeling's placement chain (model.indelen) reads: the vestigingen with
        students that the address list misses, and where their gemeente or location can be found."""
        ll = self.lees("leerlingen", ["vestigingscode", "vestigingsnaam", "plaatsnaam", "jaar"])
        zonder = ll[~ll["vestigingscode"].isin(self.vestigingen["vestigingscode"])]
        if zonder.empty:
            return {}
        zonder = zonder.sort_values("jaar").drop_duplicates("vestigingscode", keep="last")
        ex = self.examens
        if ex is not None:
            ex = ex[ex["vestigingscode"].isin(zonder["vestigingscode"])].sort_values("jaar")
            ex = ex.drop_duplicates("vestigingscode", keep="last")[["vestigingscode", "gemeentenaam"]]
        return {"zonder_adres": zonder[["vestigingscode", "vestigingsnaam", "plaatsnaam"]], "examengemeenten": ex,
                "plaatsen": self.plaatsen, "locaties": self.locaties, "gemeenten": self.gemeenten}

    @cached_property
    def pc4(self) -> pd.DataFrame | None:
        """Centroid (lat, lon) of every 4-digit postcode area the data knows (GeoNames)."""
        return self._tabel("pc4")

    @cached_property
    def plaatsen(self) -> pd.DataFrame | None:
        """Place names and their gemeente (GeoNames), when the data has them."""
        return self._tabel("plaatsen")

    @cached_property
    def arbeidsmarktkoppeling(self) -> pd.DataFrame | None:
        """vestigingscode -> arbeidsmarktregio (spatial join at build time: no geometry needed later)."""
        return self._tabel("arbeidsmarktkoppeling")

    @cached_property
    def bevolking(self) -> pd.DataFrame | None:
        """CBS inhabitants by age band (optional input of the forecast)."""
        return self._tabel("bevolking")

    @cached_property
    def woonplaatsen(self) -> pd.DataFrame | None:
        """Pupils per vestiging by home PC4 and leerjaar (DUO), when the data has that file."""
        return self._tabel("woonplaatsen")

    @cached_property
    def duoprognose(self) -> pd.DataFrame | None:
        """DUO's own leerlingenprognose, when the user supplied it (scored, never used)."""
        return self._tabel("duoprognose")

    @cached_property
    def po_leerlingen(self) -> pd.DataFrame | None:
        """DUO's primary-school pupils by age per vestiging or gemeente (the forecast's cohorts)."""
        return self._tabel("po_leerlingen")

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
        if not parquetlezer():
            return elders("geo", pad)
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


def sha256(pad: Path) -> str:
    """A file's SHA-256, read in blocks (the build manifest and the fetch log record it)."""
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
    failed build leaves the previous dataset intact; `out` must be new, empty or an earlier
    build (never the raw folder or a folder holding it: see vrije_uitvoermap).
    """
    from tqdm.auto import tqdm

    from .sources import scan
    from .sources.locaties import koppel

    raw = Path(raw).resolve()
    out = vrije_uitvoermap(out, "data build", invoer=[raw])
    inv = scan(raw)
    if not inv.van("leerlingen"):
        overgeslagen = "; ".join(f"{p.relative_to(raw)}: {reden}" for p, reden in inv.overgeslagen[:10])
        raise DataFout(raw, "geen bestand met leerlingen per vestiging gevonden"
                       + (f" (niet herkend: {overgeslagen})" if overgeslagen else " (de map heeft geen bestanden)"),
                       verwacht="minstens één DUO-bestand '01. Leerlingen vo per vestiging naar onderwijstype'")
    gelezen: dict[str, list] = {}
    bronnen = []
    waarschuwingen: list[str] = []
    for b in tqdm(inv.bestanden, desc="Bronbestanden lezen", unit="bestand", disable=not voortgang):
        frame = b.lees()
        gelezen.setdefault(b.tabel, []).append((b, frame))
        bronnen.append({"bestand": b.pad.name, "pad": str(b.pad.relative_to(raw)), "layout": b.layout,
                        "omschrijving": b.omschrijving, "tabel": b.tabel, "rijen": int(len(frame)),
                        "sha256": sha256(b.pad),
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

    mbo2 = leerlingen[leerlingen["categorie"] == "vmbo-mbo2"]
    for j, n in mbo2.groupby("jaar")["aantal"].sum().items():
        waarschuwingen.append(f"{j}: {int(n)} leerlingen in VMBO-MBO2 lj 3-6 (doorlopende leerroute vmbo-mbo 2) "
                              "apart gehouden: geen vmbo-leerweg, niet in de tellingen per leerweg")

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
    woonplaatsen = _samen(frames("woonplaatsen"))
    duoprognose = _samen(frames("duoprognose"))
    po_leerlingen = _samen(frames("po_leerlingen"))
    rio_locaties = _samen(frames("rio_locaties"))
    arbeidsmarkt = _samen(frames("arbeidsmarkt"))
    spanning = _samen(frames("spanning"))
    doorstroom = _samen(frames("doorstroom"))

    indelingen = gelezen.get("indeling", [])
    if len(indelingen) > 1:
        raise DataFout(raw, "meer dan één regio-indeling gevonden: " + ", ".join(b.pad.name for b, _ in indelingen),
                       verwacht="hoogstens één regio-indeling per datamap (kies er een met --indeling)")
    indeling_df = indelingen[0][1] if indelingen else None
    if indeling_df is not None:  # an indeling naming vestigingen the data does not know is an error
        from .sources.indeling import controleer_codes

        bekend = set(leerlingen["vestigingscode"]) | (set(vestigingen["vestigingscode"]) if vestigingen is not None
                                                      else set())
        controleer_codes(indeling_df, bekend, str(indelingen[0][0].pad))

    # Locations for every vestiging we know of (address list, plus codes only seen in counts).
    bekend = vestigingen[["vestigingscode", "postcode", "huisnummer"]] if vestigingen is not None else \
        pd.DataFrame(columns=["vestigingscode", "postcode", "huisnummer"])
    extra = leerlingen.loc[~leerlingen["vestigingscode"].isin(bekend["vestigingscode"]), ["vestigingscode"]]
    bekend = pd.concat([bekend, extra.drop_duplicates().assign(postcode="", huisnummer="")], ignore_index=True)
    pc4 = _samen(frames("pc4"))
    # Place -> gemeente (GeoNames): the example indeling places a vestiging missing from the address list.
    # PC4 centroids (mean of the places a PC4 covers): where young residents live, for the coverage figures.
    pc4_punten = None if pc4 is None else pc4.groupby("pc4", as_index=False)[["lat", "lon"]].mean()
    plaatsen = None if pc4 is None else (pc4[["plaats", "gemeente"]].rename(columns={"gemeente": "gemeentenaam"})
                                         .drop_duplicates().reset_index(drop=True))
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        locaties, zonder = koppel(bekend, frames("punten"), pc4, rio_locaties)
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

    tmp = out.parent / f".{out.name}.bouw-{os.getpid()}"
    try:
        with schrijven_naar(out):
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir()
        tabellen = {"leerlingen": leerlingen, "vestigingen": vestigingen, "examens": examens,
                    "resultaten": resultaten, "locaties": locaties, "indeling": indeling_df,
                    "arbeidsmarktkoppeling": koppeling, "plaatsen": plaatsen, "pc4": pc4_punten, "bevolking": bevolking,
                    "woonplaatsen": woonplaatsen, "duoprognose": duoprognose, "po_leerlingen": po_leerlingen,
                    "arbeidsmarkt": arbeidsmarkt, "spanning": spanning, "doorstroom": doorstroom}
        with schrijven_naar(out):
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
        with schrijven_naar(out):
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
            wissel_in(tmp, out, "data build")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


# A folder output replaces its target whole, so it may only replace its own earlier output. `data
# build` and `data demo` know theirs by their own manifest; the other folder outputs (the site, the
# CSV export, the re-executed notebooks) by this mark, which `wissel_in` writes into them.
UITVOERMERK = ".regioportret-uitvoer.json"
EIGEN_MANIFEST: dict[str, Callable[[Path], bool]] = {
    "data build": is_verwerkt,
    "data demo": lambda m: (m / "regioportret-demo.json").is_file(),
}


def is_eigen_uitvoer(map_: Path, opdracht: str) -> bool:
    """Was the folder `map_` written by `regioportret <opdracht>`?"""
    if opdracht in EIGEN_MANIFEST:
        return EIGEN_MANIFEST[opdracht](Path(map_))
    try:
        merk = json.loads((Path(map_) / UITVOERMERK).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(merk, dict) and merk.get("opdracht") == opdracht


def vrije_uitvoermap(out: Path, opdracht: str, invoer=(), optie: str = "--out") -> Path:
    """The resolved output folder, checked before any work: it may not be or contain one of the
    inputs, and an existing, non-empty folder must be this command's own earlier output, because
    replacing it removes everything it holds. Raises UitvoerFout (exit 1) otherwise."""
    advies = (f"Kies een nieuwe of lege map, of een map die 'regioportret {opdracht}' eerder zelf schreef "
              "(die wordt in zijn geheel vervangen)")
    out = Path(out).expanduser().resolve()
    for pad in invoer:
        if pad is None:
            continue
        i = Path(pad).expanduser().resolve()
        if out == i or out in i.parents:
            raise UitvoerFout(out, f"{'is' if out == i else 'bevat'} de invoer {i}", advies, optie)
    if out.exists():
        if not out.is_dir():
            raise UitvoerFout(out, "is een bestand, geen map", advies, optie)
        if next(out.iterdir(), None) is not None and not is_eigen_uitvoer(out, opdracht):
            raise UitvoerFout(out, "bevat bestanden die regioportret daar niet zelf schreef", advies, optie)
    return out


def vrij_uitvoerbestand(pad: Path, optie: str, invoer=()) -> Path:
    """The resolved output file of `optie` (e.g. --pdf), checked before any work: it ends in the
    option's own suffix (so a typo never replaces a document of another kind), is no folder and
    is not, or lies not in, one of the inputs. An existing file of that kind is replaced, as the user asked."""
    pad = Path(pad).expanduser().resolve()
    soort = "." + optie.lstrip("-")
    advies = f"Geef een (nieuw) {soort}-bestand op"
    if pad.is_dir():
        raise UitvoerFout(pad, "is een map, geen bestand", advies, optie)
    if pad.suffix.lower() != soort:
        raise UitvoerFout(pad, f"heeft niet de extensie {soort}", advies, optie)
    for i in (Path(i).expanduser().resolve() for i in invoer if i is not None):
        if i == pad or i in pad.parents:
            raise UitvoerFout(pad, f"{'is' if i == pad else 'ligt in'} de invoer {i}", advies, optie)
    return pad


def wissel_in(tmp: Path, out: Path, opdracht: str | None = None) -> None:
    """Put the completely written folder `tmp` in place of `out` (two renames; the old folder is
    removed after), so a reader never sees half a folder.

    With `opdracht` (a user's output folder), `out` is checked once more right before the swap
    (see vrije_uitvoermap) and `tmp` gets the command's mark, so a later run recognises it.
    """
    if opdracht is not None:
        vrije_uitvoermap(out, opdracht)
        if opdracht not in EIGEN_MANIFEST:
            (tmp / UITVOERMERK).write_text(json.dumps({"opdracht": opdracht, "programma": "regioportret"}) + "\n",
                                           encoding="utf-8")
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
    kandidaat = data or os.environ.get("REGIOPORTRET_DATA") or demo_map()
    pad = Path(kandidaat).expanduser()
    if not pad.is_dir():
        raise DataFout(pad, "de datamap bestaat niet", verwacht="een map met ruwe DUO/CBS-bestanden of verwerkte data")
    return pad


def laad(data: str | os.PathLike | None = None, voortgang: bool = False) -> Dataset:
    """Open a dataset: processed folder as is; raw folder processed once and cached."""
    pad = data_map(data)
    if is_verwerkt(pad):
        return Dataset(pad)
    sleutel = _sleutel(pad)
    doel = cachemap() / sleutel
    if is_verwerkt(doel):
        return Dataset(doel)
    if sleutel in _TIJDELIJK:
        return Dataset(_TIJDELIJK[sleutel])
    if cache_schrijfbaar():
        try:
            with slot(doel):  # several kernels may open the same raw folder at once: build it once
                if not is_verwerkt(doel):
                    _bouw_hier_of_elders(pad, doel, voortgang)
            return Dataset(doel)
        except SchrijfFout as e:  # a full disk, say: build outside the cache
            cache_onbruikbaar(cachemap(), e)
        except OSError as e:  # the lock could not be made
            cache_onbruikbaar(cachemap(), e)
    import atexit
    import tempfile

    tijdelijk = Path(tempfile.mkdtemp(prefix="regioportret-"))
    atexit.register(shutil.rmtree, tijdelijk, True)
    _bouw_hier_of_elders(pad, tijdelijk / "data", voortgang)
    _TIJDELIJK[sleutel] = tijdelijk / "data"
    return Dataset(_TIJDELIJK[sleutel])


def _bouw_hier_of_elders(pad: Path, doel: Path, voortgang: bool) -> None:
    if parquetlezer():
        bouw(pad, doel, voortgang=voortgang)
    else:
        elders("bouw", pad, doel)


@contextmanager
def slot(doel: Path, timeout_s: float = 600):
    """An exclusive lock next to `doel` (filelock: works on every platform): several kernels
    asking for the same cache compute it once. Never waits forever."""
    from filelock import FileLock

    doel.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(doel.parent / f".{doel.name}.lock"), timeout=timeout_s):
        yield


def schrijf_atomair(pad: Path, inhoud: bytes | str | Callable[[Path], None]) -> Path:
    """Write `pad` through a temporary file next to it and one rename: a reader (or a user
    after a crash) never sees half a file under its name. `inhoud`: bytes, text (UTF-8), or
    a function that writes to the path it is given."""
    pad = Path(pad)
    tmp = pad.with_name(f".{pad.name}.{os.getpid()}.tmp")
    try:
        pad.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(inhoud, bytes):
            tmp.write_bytes(inhoud)
        elif isinstance(inhoud, str):
            tmp.write_text(inhoud, encoding="utf-8")
        else:
            inhoud(tmp)
        os.replace(tmp, pad)
    except OSError as e:
        _weg(tmp)
        raise SchrijfFout(pad, e) from e
    except BaseException:
        _weg(tmp)
        raise
    return pad


def _weg(pad: Path) -> None:
    try:
        pad.unlink(missing_ok=True)
    except OSError:
        pass


# -- a page's kernel has no parquet reader -----------------------------------------------------
ELDERS_TIMEOUT_S = {"lees": 300, "geo": 300, "bouw": 3600}


def parquetlezer() -> bool:
    """Whether this process reads parquet itself. A page's kernel runs without pyarrow
    (views.paginakernel); it reads its tables from the cache, and anything else through `elders`."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


SCHRIJFFOUT = "schrijffout: "


def elders(taak: str, pad: Path, *args):
    """Read a parquet table (`lees`, `geo`) or build a raw folder (`bouw`) in a subprocess that
    has pyarrow, and hand the result back as a cache pickle (text in this process's storage).
    Rare in a page: only what the cache does not hold (the exact-count download, DUO's forecast)."""
    import subprocess
    import sys

    opdracht = json.dumps([taak, str(pad), *[str(a) if isinstance(a, Path) else a for a in args]])
    try:
        r = subprocess.run([sys.executable, "-m", "regioportret.store", opdracht], capture_output=True,
                           timeout=ELDERS_TIMEOUT_S[taak], check=False)
    except subprocess.TimeoutExpired:
        raise DataFout(pad, f"{'bouwen' if taak == 'bouw' else 'lezen'} duurde langer dan {ELDERS_TIMEOUT_S[taak]} s",
                       verwacht="een bereikbare, onbeschadigde verwerkte dataset") from None
    if r.returncode != 0:
        regels = r.stderr.decode("utf-8", "replace").strip().splitlines()
        if regels and regels[-1].startswith(SCHRIJFFOUT):
            raise SchrijfFout(args[0] if args else pad, regels[-1][len(SCHRIJFFOUT):])
        raise DataFout(pad, regels[-1] if regels else f"lezen mislukte (code {r.returncode})",
                       verwacht="een verwerkte dataset van 'regioportret data build'")
    return pickle.loads(r.stdout)


def _elders_hier(taak: str, pad: str, *args):
    """The subprocess's side of `elders`."""
    if taak == "lees":
        kolommen, filters = args
        return Dataset(Path(pad).parent).lees(Path(pad).stem, kolommen,
                                              [tuple(f) for f in filters] if filters else None)
    if taak == "geo":
        return Dataset(Path(pad).parent)._geo(Path(pad).stem)
    if taak == "bouw":
        return bouw(Path(pad), Path(args[0]))
    raise ValueError(taak)


# The cache's pickle format: bump when it changes (a file of another format is not read).
CACHE_FORMAAT = 3


@functools.cache
def code_vingerafdruk() -> str:
    """A hash of the model's and the rules' source: part of the key of a cached bundle, so a
    bundle pickled by other code (a field added, a rule changed) is never read back."""
    pakket = Path(__file__).parent
    h = hashlib.sha1()
    for pad in sorted([pakket / "rules.py", pakket / "format.py", *(pakket / "model").glob("*.py")]):
        h.update(pad.read_bytes())
    return h.hexdigest()[:12]


def _tekst_array(codes, waarden, na_value):
    """A pickled text column, rebuilt in the reading process's own storage for pandas' str
    dtype: pyarrow where pandas has it, Python objects in a page's kernel (views.paginakernel).
    Stored as codes into its distinct values, so equal texts share one object when read."""
    uit = np.asarray(waarden, dtype=object).take(codes)
    uit[codes < 0] = na_value
    return pd.array(uit, dtype=_tekst_dtype(na_value))


def _tekst_dtype(na_value):
    # pandas' "string" (NA) or its "str" (NaN, the default since pandas 3), in this process's storage
    return pd.StringDtype() if na_value is pd.NA else pd.StringDtype(na_value=na_value)


class _Pickler(pickle.Pickler):
    """Pickles text columns by their values, not by their storage: a cache written by a process
    with pyarrow is read by a page's kernel without it (and the other way round)."""

    def reducer_override(self, obj):
        if isinstance(obj, pd.api.extensions.ExtensionArray) and isinstance(obj.dtype, pd.StringDtype):
            codes, waarden = pd.factorize(obj)
            klein = np.min_scalar_type(-max(len(waarden), 1))  # int8 up to 127 distinct texts
            return _tekst_array, (codes.astype(klein), waarden.to_numpy(dtype=object), obj.dtype.na_value)
        if isinstance(obj, pd.StringDtype):
            return _tekst_dtype, (obj.na_value,)
        return NotImplemented


def bewaar_pickle(waarde, pad: Path) -> None:
    with open(pad, "wb") as f:
        _Pickler(f, protocol=pickle.HIGHEST_PROTOCOL).dump(waarde)


def bewaard(deel: str, sleutel: str, maak: Callable[[], T]) -> T:
    """`maak()` computed once per key and kept on disk (pickle) under the cache folder.

    Many kernels starting on a cold cache compute it once (a lock); a damaged cache file is
    recomputed, never fatal. The key must change whenever the inputs change.
    """
    pad = cachemap() / deel / f"{sleutel}.{CACHE_FORMAAT}.pkl"

    def lees():
        try:
            if pad.exists():
                with open(pad, "rb") as f:
                    return True, pickle.load(f)
        except Exception:  # noqa: BLE001 - a damaged, foreign or unreadable cache file: compute again
            try:
                pad.unlink(missing_ok=True)
            except OSError:
                pass
        return False, None

    gevonden, waarde = lees()
    if gevonden:
        return waarde
    if not cache_schrijfbaar():
        return maak()
    berekend = False
    try:
        with slot(pad):
            gevonden, waarde = lees()
            if gevonden:
                return waarde
            berekend = True
            waarde = maak()
            try:
                schrijf_atomair(pad, lambda tmp: bewaar_pickle(waarde, tmp))
            except SchrijfFout as e:  # full or read-only: the value is there, only not kept
                cache_onbruikbaar(cachemap(), e)
    except OSError as e:  # the lock (the folder) could not be made: compute without the cache
        if berekend:
            raise
        cache_onbruikbaar(cachemap(), e)
        return maak()
    return waarde


if __name__ == "__main__":  # `elders`: python -m regioportret.store '["lees", PAD, KOLOMMEN, FILTERS]'
    import sys

    # The module by its own name, not __main__: the pickle must name regioportret.store's functions.
    from regioportret.errors import SchrijfFout
    from regioportret.store import SCHRIJFFOUT, _elders_hier, _Pickler

    try:
        uitkomst = _elders_hier(*json.loads(sys.argv[1]))
    except SchrijfFout as e:  # the caller raises it again as a write failure
        print(SCHRIJFFOUT + e.reden, file=sys.stderr)
        sys.exit(1)
    except Exception as e:  # noqa: BLE001 - the caller turns the last line into a DataFout
        print(str(e).replace("\n", " "), file=sys.stderr)
        sys.exit(1)
    _Pickler(sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(uitkomst)
