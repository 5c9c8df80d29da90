"""Download the official raw files from their publishers (DUO, CBS/PDOK, GeoNames).

Which files, in this order (../shared docs of DUO as it publishes today; docs/data.md):
1. DUO's portal `onderwijsdata.duo.nl` (CKAN): `package_show` per dataset id gives each
   resource's current download URL and its stable resource id (`PORTAAL_REEKSEN`);
2. DUO's dataset pages, which link every edition of a series (`DUO_LIJSTEN`: the current
   `.../voortgezet-onderwijs/...` pages first, the old `.../databestanden/vo/...` ones after);
3. the names each edition has been published under (`DUO_REEKSEN` and friends): the first
   name the server has is taken.
Each file's route (portaal, pagina, bekende naam), page or resource id is logged in
`fetch.json`. Before anything, DUO's hosts are tried: unreachable (no network, no DNS) stops
the fetch within seconds with one Dutch sentence. Downloads are retried with urllib3's Retry
(backoff on 429/5xx and broken reads; a refused or unresolvable connection is not retried
long), resumable (`<file>.part` continues with an HTTP Range request), atomic (renamed when
complete), a complete file is skipped, and every file is logged with its URL, size and
SHA-256. Every failure is reported (URL and reason) after all others were tried.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urljoin, urlsplit

from .errors import DataFout, Probleem
from .store import schrijf_atomair, sha256, wissel_in

DUO = "https://duo.nl/open_onderwijsdata/images"
PDOK_WFS = "https://service.pdok.nl/cbs/gebiedsindelingen/{jaar}/wfs/v1_0"
GEONAMES_NL = "https://download.geonames.org/export/zip/NL.zip"
# Teldatum years fetched by default: the first year of the ten profielen (2016-2017) up to the
# newest edition DUO publishes (students counted on 1 October 2025).
STANDAARD_JAREN = range(2016, 2026)
# CBS StatLine open data (OData v3, the API the `cbsodata` package reads). The current tables
# with figures per arbeidsmarktregio (docs/data.md): jobs of employees per SBI sector, and
# labour participation with the unemployment rate. CBS publishes a new regional
# participation table every February; pass newer ids with --cbs-tabellen.
CBS_ODATA = "https://opendata.cbs.nl/ODataApi/odata"
CBS_TABELLEN = {
    "83582NED": "Banen van werknemers in december; economische activiteit (SBI2008), regio",
    "85494NED": "Arbeidsdeelname; regionale indeling 2022",
}
CBS_FILTER = "substringof('AM',RegioS) or substringof('NL01',RegioS)"  # arbeidsmarktregio's and the country
GEBIEDSINDELING_JAAR = 2024


@dataclass(frozen=True)
class Bron:
    url: str
    bestand: str  # path under the output folder
    uitgever: str
    licentie: str
    uitpakken: str | None = None  # member of a zip archive to keep
    alternatieven: tuple[str, ...] = field(default=())  # other published names, tried in order on a 404
    optioneel: bool = False  # the portraits work without it: a failure is a note, not an error
    route: str = "bekende naam"  # how it was found: 'portaal', 'pagina' or 'bekende naam' (or a publisher's own)
    herkomst: str | None = None  # the portal's resource id, or the page that linked it


# DUO's series and the names each edition is published under, newest layout first. `{j}` is
# the teldatum year (or the first year of the school year), `{k}` = j + 1. Kept here, in one
# place; docs/data.md lists the same (a test checks that they agree).
DUO_REEKSEN: dict[str, dict] = {
    "leerlingen": {
        "omschrijving": "01. Leerlingen vo per vestiging naar onderwijstype",
        "namen": ("01.-leerlingen-vo-per-vestiging-naar-onderwijstype-{j}.csv",
                  "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-{j}-{k}.csv",
                  "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-{j}.xlsx",
                  "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-{j}-{k}.xlsx"),
        "jaren": range(2016, 2026),
    },
    "woonplaatsen": {
        "omschrijving": "02. Leerlingen per vestiging naar postcode en leerjaar",
        "namen": ("02.-leerlingen-per-vestiging-naar-postcode-en-leerjaar-{j}.csv",
                  "02.-leerlingen-per-vestiging-naar-postcode-en-leerjaar-{j}-{k}.csv",
                  "02.-leerlingen-vo-per-vestiging-naar-postcode-leerling-en-leerjaar-{j}.csv",
                  "02.-leerlingen-vo-per-vestiging-naar-postcode-leerling-en-leerjaar-{j}.xlsx"),
        "jaren": range(2016, 2026),
    },
    "resultaten": {
        "omschrijving": "Geslaagden, gezakten en gemiddelde examencijfers per instelling",
        "namen": ("geslaagden-gezakten-en-cijfers-{j}-{k}.csv", "geslaagden,-gezakten-en-cijfers-{j}-{k}.csv",
                  "geslaagden-gezakten-en-cijfers-{j}-{k}.xlsx", "07.-geslaagden,-gezakten-en-cijfers-{j}-{k}.xlsx"),
        "jaren": range(2016, 2026),
    },
}
# Five-year files: each covers the school years in its name; together 2013-2014 to 2024-2025.
DUO_EXAMENS = ("06-examenkandidaten-en-geslaagden-2013-2018.csv", "examenkandidaten-en-geslaagden-2014-2019.csv",
               "examenkandidaten-en-geslaagden-2019-2024.csv", "examenkandidaten-en-geslaagden-2020-2025.csv")
# An older publication whose years the next file covers too: a failure is a note, not an error.
DUO_EXAMENS_OPTIONEEL = frozenset({"06-examenkandidaten-en-geslaagden-2013-2018.csv"})
DUO_VESTIGINGEN = ("02.-alle-vestigingen-vo.csv", "02-alle-vestigingen-vo.csv", "02.-alle-vestigingen-vo.xlsx")
# DUO's own forecast: newest vintage first, the 2012-2037 one last.
DUO_PROGNOSE = ("11.-leerlingenprognose-vo-2024-2039.csv", "11-leerlingenprognose-vo-2024-2039.csv",
                "11.-leerlingenprognose-vo-2023-2038.csv", "11-leerlingenprognose-vo-2012-2037.csv")


# DUO's dataset pages: each lists the published editions of one or more series as links. The
# current pages (`.../voortgezet-onderwijs/...`) first, the old ones (`.../databestanden/vo/...`)
# after: a page DUO moved answers 404 and the next one is read.
DUO_SITE = "https://duo.nl/open_onderwijsdata"
DUO_PAGINA = f"{DUO_SITE}/databestanden/vo"
DUO_LIJSTEN: dict[str, tuple[str, ...]] = {
    "leerlingen": (f"{DUO_SITE}/voortgezet-onderwijs/aantal-leerlingen/aantal-leerlingen.jsp",
                   f"{DUO_PAGINA}/leerlingen/leerlingen-vo-1.jsp"),
    "woonplaatsen": (f"{DUO_SITE}/voortgezet-onderwijs/aantal-leerlingen/aantal-leerlingen.jsp",
                     f"{DUO_PAGINA}/leerlingen/leerlingen-vo-2.jsp"),
    "examens": (f"{DUO_SITE}/voortgezet-onderwijs/examens/examens-vmbo-havo-vwo.jsp",
                f"{DUO_PAGINA}/leerlingen/leerlingen-vo-6.jsp"),
    "resultaten": (f"{DUO_SITE}/voortgezet-onderwijs/examens/examens-vmbo-havo-vwo.jsp",
                   f"{DUO_PAGINA}/examens/examens-vmbo-havo-vwo.jsp"),
    "vestigingen": (f"{DUO_SITE}/voortgezet-onderwijs/adressen/vestigingen.jsp",
                    f"{DUO_PAGINA}/adressen/adressen-vo-2.jsp"),
}
# A link's file name -> (series, first year or None); CSV wins over XLSX for the same edition.
DUO_PATRONEN: dict[str, re.Pattern] = {
    "leerlingen": re.compile(r"^01\.?-leerlingen-vo-per-vestiging-naar-onderwijstype-(\d{4})(?:-\d{4})?\.(csv|xlsx)$", re.I),
    "woonplaatsen": re.compile(
        r"^02\.?-leerlingen-(?:vo-)?per-vestiging-naar-postcode(?:-leerling)?(?:-en-leerjaar)?-(\d{4})(?:-\d{4})?"
        r"\.(csv|xlsx)$", re.I),
    "examens": re.compile(r"^(?:06\.?-)?examenkandidaten-en-geslaagden-(\d{4})-\d{4}\.(csv|xlsx)$", re.I),
    "resultaten": re.compile(r"^(?:07\.?-)?geslaagden,?-gezakten-en-cijfers-(\d{4})-\d{4}\.(csv|xlsx)$", re.I),
    "vestigingen": re.compile(r"^02\.?-alle-vestigingen-vo()\.(csv|xlsx)$", re.I),
}

# DUO's portal (CKAN, an open JSON API): dataset id and the resource file each series takes.
# The download URLs change when DUO replaces a file; the resource ids stay.
PORTAAL = "https://onderwijsdata.duo.nl/api/3/action/package_show"
PORTAAL_REEKSEN: dict[str, dict] = {
    "prognose": {"dataset": "voprognoses", "bestand": "brin4_prognosesvo.csv",
                 "omschrijving": "DUO's prognose van vo-leerlingen per instelling (lang formaat)"},
    "po_vestiging": {"dataset": "poleeftijd-v2", "bestand": "brin6_leeftijd.csv",
                     "omschrijving": "leerlingen primair onderwijs per vestiging naar leeftijd", "optioneel": True},
    "po_gemeente": {"dataset": "pogemeente", "bestand": "gemeente_leeftijd.csv",
                    "omschrijving": "leerlingen primair onderwijs per gemeente naar leeftijd", "optioneel": True},
    "rio_locaties": {"dataset": "rio_nfo_po_vo_vavo_mbo_ho", "bestand": "onderwijslocaties.csv",
                     "omschrijving": "RIO-onderwijslocaties met coördinaten", "optioneel": True},
}
# DUO's hosts: tried before anything else (a fetch without a network stops within seconds).
DUO_HOSTS = ("duo.nl", "onderwijsdata.duo.nl")
BEREIKBAAR_TIMEOUT_S = 8


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v]


def lees_lijst(html_tekst: str, pagina: str, reeks: str) -> dict[int | None, str]:
    """The editions a DUO dataset page links to: first year (None for a snapshot) -> file URL."""
    p = _Links()
    p.feed(html_tekst)
    gevonden: dict[int | None, str] = {}
    for href in p.hrefs:
        url = urljoin(pagina, href)
        m = DUO_PATRONEN[reeks].match(unquote(Path(urlsplit(url).path).name))
        if not m:
            continue
        jaar = int(m[1]) if m[1] else None
        if jaar not in gevonden or (m[2].lower() == "csv" and not gevonden[jaar].lower().endswith(".csv")):
            gevonden[jaar] = url
    return gevonden


def ontdek(sessie, basis_url: str | None = None) -> tuple[dict[str, dict], list[str]]:
    """Read DUO's dataset pages: ({series: {year: (url, page)}}, notes). Per series the pages are
    read in order (the current one, then the old one) until one links editions of it."""
    import requests

    uit, notities, gelezen = {}, [], {}
    for reeks, paginas in DUO_LIJSTEN.items():
        for pagina in paginas:
            if pagina not in gelezen:
                try:
                    r = sessie.get(_herbasis(pagina, basis_url), timeout=TIMEOUT)
                    r.raise_for_status()
                    gelezen[pagina] = r.text
                except requests.RequestException as e:
                    gelezen[pagina] = None
                    notities.append(f"DUO-pagina {pagina} niet gelezen ({_kort(e)})")
            if gelezen[pagina] is None:
                continue
            gevonden = lees_lijst(gelezen[pagina], pagina, reeks)
            if gevonden:
                uit[reeks] = {j: (u, pagina) for j, u in gevonden.items()}
                break
        if reeks not in uit:
            notities.append(f"geen DUO-pagina noemt bestanden van {reeks}; de bekende bestandsnamen gebruikt")
    return uit, notities


def portaal(sessie, basis_url: str | None = None) -> tuple[dict[str, Bron], list[str]]:
    """Ask DUO's portal (`package_show`) for each dataset's current resources: ({series: Bron
    with the resource's current URL and id}, notes on datasets that could not be read)."""
    import requests

    uit, notities = {}, []
    for reeks, d in PORTAAL_REEKSEN.items():
        url = f"{PORTAAL}?{urlencode({'id': d['dataset']})}"
        try:
            r = sessie.get(_herbasis(url, basis_url), timeout=TIMEOUT)
            r.raise_for_status()
            antwoord = r.json()
            bronnen_ = (antwoord.get("result") or {}).get("resources") or [] if antwoord.get("success") else []
        except (requests.RequestException, ValueError) as e:
            notities.append(f"DUO-portaal: dataset {d['dataset']} niet gelezen ({_kort(e)})")
            continue
        for res in bronnen_:
            bron_url = res.get("url") or ""
            naam = unquote(Path(urlsplit(bron_url).path).name)
            if d["bestand"] in (naam.lower(), str(res.get("name") or "").lower()):
                uit[reeks] = Bron(bron_url, f"duo/{naam}", "DUO Open Onderwijsdata", "CC0 1.0",
                                  optioneel=d.get("optioneel", False), route="portaal", herkomst=res.get("id"))
                break
        else:
            notities.append(f"DUO-portaal: dataset {d['dataset']} heeft geen bestand {d['bestand']}")
    return uit, notities


def _kort(e: Exception) -> str:
    """An error in one line, without urllib3's long wrapping."""
    tekst = str(e)
    return tekst if len(tekst) <= 160 else tekst[:157] + "..."


def _gevonden(url: str, pagina: str | None = None) -> Bron:
    naam = unquote(Path(urlsplit(url).path).name)
    return Bron(url, f"duo/{naam}", "DUO Open Onderwijsdata", "CC0 1.0", route="pagina", herkomst=pagina)


def _duo(namen: tuple[str, ...], jaar: int | None = None) -> Bron:
    """One DUO file under its first known name, the others as alternatives (the file keeps the
    name the publisher gives it: the year in it is the teldatum)."""
    gevuld = [n.format(j=jaar, k=(jaar or 0) + 1) for n in namen]
    return Bron(f"{DUO}/{gevuld[0]}", f"duo/{gevuld[0]}", "DUO Open Onderwijsdata", "CC0 1.0",
                alternatieven=tuple(f"{DUO}/{n}" for n in gevuld[1:]))


def _wfs(laag: str, jaar: int) -> str:
    return (PDOK_WFS.format(jaar=jaar) + "?service=WFS&version=2.0.0&request=GetFeature"
            f"&typeName=gebiedsindelingen:{laag}&outputFormat=application/json&srsName=EPSG:4326")


def bronnen(jaren=STANDAARD_JAREN, gebiedsjaar: int = GEBIEDSINDELING_JAAR,
            gevonden: dict[str, dict] | None = None, uit_portaal: dict[str, Bron] | None = None) -> list[Bron]:
    """The official files, in the layouts this package reads (see docs/data.md). `uit_portaal`:
    what DUO's portal lists (`portaal`); `gevonden`: what DUO's dataset pages link (`ontdek`:
    {series: {year: (url, page)}}); a series without either falls back to the known names."""
    jaren, gevonden, uit_portaal = list(jaren), gevonden or {}, uit_portaal or {}

    def per_jaar(reeks: str, welke: list[int] = jaren) -> list[Bron]:
        if reeks in gevonden:  # exactly what DUO lists for the requested years
            return [_gevonden(*gevonden[reeks][j]) for j in welke if j in gevonden[reeks]]
        return [_duo(DUO_REEKSEN[reeks]["namen"], j) for j in welke if j in DUO_REEKSEN[reeks]["jaren"]]

    lijst = per_jaar("leerlingen")
    # where pupils live (coverage figures): only the newest year asked for, the one the portraits use
    lijst += [replace(b, optioneel=True) for b in per_jaar("woonplaatsen", [max(jaren)] if jaren else [])]
    lijst += [_gevonden(*next(iter(gevonden["vestigingen"].values())))] if "vestigingen" in gevonden else \
        [_duo(DUO_VESTIGINGEN)]
    lijst += [_gevonden(*v) for _, v in sorted(gevonden["examens"].items())] if "examens" in gevonden else \
        [replace(_duo((naam,)), optioneel=naam in DUO_EXAMENS_OPTIONEEL) for naam in DUO_EXAMENS]
    # DUO's own forecast, scored next to ours (prognose --backtest): the portal's long file, else a known vintage
    lijst += [uit_portaal["prognose"]] if "prognose" in uit_portaal else [_duo(DUO_PROGNOSE)]
    # the portal's other series: primary-school pupils by age (the cohorts a forecast needs) and RIO's
    # official locations; optional: the portraits work without them
    lijst += [b for reeks, b in uit_portaal.items() if reeks != "prognose"]
    lijst += per_jaar("resultaten")
    lijst += [
        Bron(_wfs("gemeente_gegeneraliseerd", gebiedsjaar), f"geo/gemeente_{gebiedsjaar}.geojson",
             "CBS/PDOK Gebiedsindelingen", "CC BY 4.0"),
        Bron(_wfs("arbeidsmarktregio_gegeneraliseerd", gebiedsjaar), f"geo/arbeidsmarktregio_{gebiedsjaar}.geojson",
             "CBS/PDOK Gebiedsindelingen", "CC BY 4.0"),
        Bron(GEONAMES_NL, "geo/geonames-NL-pc4.txt", "GeoNames", "CC BY 4.0", uitpakken="NL.txt"),
    ]
    return lijst


def _jaren(tekst: str | None):
    if not tekst:
        return STANDAARD_JAREN
    if "-" in tekst:
        a, b = tekst.split("-", 1)
        return range(int(a), int(b) + 1)
    return [int(x) for x in tekst.split(",")]


def _herbasis(url: str, basis: str | None) -> str:
    """Point an official URL at a local mirror (tests): basis + /host/path?query."""
    if not basis:
        return url
    d = urlsplit(url)
    return f"{basis.rstrip('/')}/{d.netloc}{d.path}" + (f"?{d.query}" if d.query else "")


def download(url: str, doel: Path, sessie, voortgang: bool = True, blok: int = 1 << 16) -> Path:
    """Fetch `url` into `doel`, continuing a previous partial download."""
    from tqdm.auto import tqdm

    doel.parent.mkdir(parents=True, exist_ok=True)
    deel = doel.with_name(doel.name + ".part")
    al = deel.stat().st_size if deel.exists() else 0
    kop = {"Range": f"bytes={al}-"} if al else {}
    with sessie.get(url, headers=kop, stream=True, timeout=TIMEOUT) as r:
        if r.status_code == 416:  # the part file is already complete
            deel.rename(doel)
            return doel
        r.raise_for_status()
        if al and r.status_code != 206:  # server ignored the range: start over
            al = 0
        totaal = r.headers.get("Content-Length")
        totaal = int(totaal) + al if totaal else None
        with open(deel, "ab" if al else "wb") as f, tqdm(
                total=totaal, initial=al, unit="B", unit_scale=True, desc=doel.name, disable=not voortgang,
                leave=False) as balk:
            for stuk in r.iter_content(blok):
                f.write(stuk)
                balk.update(len(stuk))
    if totaal is not None and deel.stat().st_size != totaal:
        raise OSError(f"onvolledig: {deel.stat().st_size} van {totaal} bytes ontvangen")
    deel.rename(doel)
    return doel


def cbs_url(tabel: str, onderdeel: str, filter_: str | None = None) -> str:
    url = f"{CBS_ODATA}/{tabel}/{onderdeel}"
    return url + ("?" + urlencode({"$filter": filter_}, quote_via=quote) if filter_ else "")


def haal_cbs_op(out: Path, tabel: str, sessie, basis_url: str | None = None) -> Path:
    """One StatLine table as its endpoint responses (TableInfos, DataProperties, each
    dimension, TypedDataSet with every page of odata.nextLink), into out/cbs/<tabel>/.

    Written to a '.part' folder and renamed when complete: never a half table.
    """
    doel = Path(out) / "cbs" / tabel
    if (doel / "TypedDataSet.json").exists():
        return doel
    deel = doel.with_name(doel.name + ".part")
    shutil.rmtree(deel, ignore_errors=True)
    deel.mkdir(parents=True)

    def haal(url: str) -> dict:
        r = sessie.get(_herbasis(url, basis_url), timeout=(10, 120))
        r.raise_for_status()
        return r.json()

    def schrijf(naam: str, obj: dict) -> None:
        (deel / f"{naam}.json").write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")

    try:
        schrijf("TableInfos", haal(cbs_url(tabel, "TableInfos")))
        props = haal(cbs_url(tabel, "DataProperties"))
        schrijf("DataProperties", props)
        for p in props["value"]:
            if p.get("Type") in ("Dimension", "GeoDimension", "TimeDimension"):
                schrijf(p["Key"], haal(cbs_url(tabel, p["Key"])))
        eerste = haal(cbs_url(tabel, "TypedDataSet", CBS_FILTER))
        waarden, volgende = list(eerste["value"]), eerste.get("odata.nextLink")
        while volgende:  # StatLine pages large results (10,000 records per page)
            pagina = haal(volgende)
            waarden += pagina["value"]
            volgende = pagina.get("odata.nextLink")
        if not any(str(w.get("RegioS", "")).strip().startswith("AM") for w in waarden):  # the national row alone
            raise OSError(f"tabel {tabel} heeft geen cijfers per arbeidsmarktregio (filter {CBS_FILTER})")
        schrijf("TypedDataSet", {"odata.metadata": eerste["odata.metadata"], "value": waarden})
        wissel_in(deel, doel)
    except BaseException:
        shutil.rmtree(deel, ignore_errors=True)
        raise
    return doel


# Retries for what passes (429, 5xx, a read broken off after connecting); a connection that is
# refused or a name that does not resolve is retried once, not for minutes.
RETRY = {"total": 5, "connect": 1, "backoff_factor": 1.0, "status_forcelist": (429, 500, 502, 503, 504),
         "allowed_methods": ("GET", "HEAD"), "respect_retry_after_header": True, "raise_on_status": False}
TIMEOUT = (10, 60)  # seconds: to connect, and between two reads
LOG = "fetch.json"


def sessie_met_retries():
    """A requests session that retries with exponential backoff (urllib3's Retry): a publisher's
    hiccup (429, 5xx, a dropped connection) does not end a long fetch."""
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    sessie = requests.Session()
    sessie.headers["User-Agent"] = "regioportret/0.1 (STO-regioportretten, open data)"
    adapter = HTTPAdapter(max_retries=Retry(**RETRY))
    sessie.mount("https://", adapter)
    sessie.mount("http://", adapter)
    return sessie


def controleer_bereikbaar(basis_url: str | None = None, timeout: float = BEREIKBAAR_TIMEOUT_S) -> None:
    """Stop at once, with one Dutch sentence, when none of DUO's hosts (or the local mirror
    `basis_url`) can be reached: resolving and connecting in threads, waited for at most
    `timeout` seconds in all (a missing DNS can otherwise hang for minutes)."""
    import socket
    from concurrent.futures import ThreadPoolExecutor, wait

    if basis_url:
        d = urlsplit(basis_url)
        doelen = [(d.hostname, d.port or (443 if d.scheme == "https" else 80))]
    else:
        doelen = [(h, 443) for h in DUO_HOSTS]

    def probeer(doel):
        with socket.create_connection(doel, timeout=timeout / 2):
            return True

    pool = ThreadPoolExecutor(max_workers=len(doelen))
    try:
        taken = [pool.submit(probeer, d) for d in doelen]
        klaar, _ = wait(taken, timeout=timeout)
        if any(t in klaar and t.exception() is None for t in taken):
            return
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    namen = " en ".join(f"{h}" if not basis_url else f"{h}:{p}" for h, p in doelen)
    raise DataFout(None, f"DUO is niet bereikbaar ({namen}: geen verbinding binnen {timeout:g} s); controleer de "
                         "internetverbinding (of proxy) en probeer het opnieuw. Er is niets gedownload of gewijzigd")


def _haal_bron(b: Bron, out: Path, sessie, basis_url: str | None, voortgang: bool) -> tuple[Path, str]:
    """Fetch one source under the first of its names the server has; (file, URL it came from)."""
    import requests

    kandidaten = (b.url, *b.alternatieven)

    def doel_van(url: str) -> Path:  # an alternative keeps the publisher's name (its year is the teldatum)
        return out / b.bestand if url == b.url else out / Path(b.bestand).parent / Path(urlsplit(url).path).name

    for url in kandidaten:  # a file fetched before (under any of its names) is not fetched again
        if doel_van(url).exists():
            return doel_van(url), url
    fouten = []
    for url in kandidaten:
        doel = doel_van(url)
        try:
            if b.uitpakken:
                archief = download(_herbasis(url, basis_url), doel.with_suffix(".zip"), sessie, voortgang)
                with zipfile.ZipFile(archief) as z, z.open(b.uitpakken) as bron:
                    schrijf_atomair(doel, bron.read())
                archief.unlink()
            else:
                download(_herbasis(url, basis_url), doel, sessie, voortgang)
            return doel, url
        except requests.HTTPError as e:
            if e.response is not None and e.response.status_code in (404, 410) and url != kandidaten[-1]:
                fouten.append(f"{Path(urlsplit(url).path).name}: {e.response.status_code}")
                continue  # not under this name: try the next published name
            raise OSError("; ".join([*fouten, f"{url}: {e}"])) from None
    raise OSError("; ".join(fouten))


def _log(out: Path, regels: list[dict], notities: list[str]) -> None:
    """fetch.json: every file with its URL, size, SHA-256 and when it was fetched (merged with
    earlier runs), and the last run's notes (pages not read, years DUO does not list)."""
    pad = out / LOG
    oud = json.loads(pad.read_text(encoding="utf-8")) if pad.exists() else {"bestanden": []}
    per = {r["bestand"]: r for r in oud.get("bestanden", [])}
    per.update({r["bestand"]: r for r in regels})
    schrijf_atomair(pad, json.dumps({"bestanden": sorted(per.values(), key=lambda r: r["bestand"]),
                                     "notities": notities}, ensure_ascii=False, indent=1).encode("utf-8"))


def haal_op(out: Path, jaren: str | None = None, basis_url: str | None = None, voortgang: bool = True,
            cbs_tabellen: list[str] | None = None, uwv_url: str | None = None) -> list[Path]:
    """Download every official source into `out`; raise one DataFout listing each failure.

    `cbs_tabellen`: StatLine table ids (default CBS_TABELLEN); `uwv_url`: the address of
    UWV's spanningsindicator spreadsheet (UWV changes it per edition, so it is not built in).
    """
    import requests
    from tqdm.auto import tqdm

    out = Path(out)
    controleer_bereikbaar(basis_url)  # before anything is written: offline stops here, within seconds
    out.mkdir(parents=True, exist_ok=True)
    gelukt, mislukt, log = [], [], []
    with sessie_met_retries() as sessie:
        uit_portaal, notities = portaal(sessie, basis_url)
        gevonden, pagina_notities = ontdek(sessie, basis_url)
        notities += pagina_notities
        lijst = bronnen(_jaren(jaren), gevonden=gevonden, uit_portaal=uit_portaal)
        for reeks, per in gevonden.items():
            gevraagd = _jaren(jaren) if reeks != "woonplaatsen" else [max(_jaren(jaren))]  # the newest only
            ontbreekt = [j for j in gevraagd if reeks in DUO_REEKSEN and j in DUO_REEKSEN[reeks]["jaren"]
                         and j not in per]
            if ontbreekt:
                notities.append(f"DUO's pagina voor {reeks} noemt geen bestand voor " + ", ".join(map(str, ontbreekt)))
        if uwv_url:
            lijst.append(Bron(uwv_url, f"uwv/{Path(urlsplit(uwv_url).path).name or 'spanningsindicator.xlsx'}",
                              "UWV", "open data UWV"))
        for b in tqdm(lijst, desc="Officiële bestanden", unit="bestand", disable=not voortgang):
            try:
                doel, url = _haal_bron(b, out, sessie, basis_url, voortgang)
                gelukt.append(doel)
                log.append({"bestand": str(doel.relative_to(out)), "url": url, "uitgever": b.uitgever,
                            "licentie": b.licentie, "route": b.route, "herkomst": b.herkomst,
                            "bytes": doel.stat().st_size, "sha256": sha256(doel),
                            "opgehaald": datetime.now(UTC).isoformat(timespec="seconds")})
            except (requests.RequestException, OSError, zipfile.BadZipFile, KeyError) as e:
                namen = ", ".join(Path(urlsplit(u).path).name for u in (b.url, *b.alternatieven))
                if b.optioneel:
                    notities.append(f"{b.bestand} niet opgehaald ({_kort(e)}); het is optioneel: de portretten werken "
                                    "zonder")
                    continue
                mislukt.append(Probleem(melding=f"{b.bestand} van {b.url}"
                                        + (f" (ook geprobeerd: {namen})" if b.alternatieven else "") + f": {e}"))
        tabellen = list(CBS_TABELLEN) if cbs_tabellen is None else cbs_tabellen
        for tabel in tqdm(tabellen, desc="CBS StatLine-tabellen", unit="tabel", disable=not voortgang):
            try:
                gelukt.append(haal_cbs_op(out, tabel, sessie, basis_url))
            except (requests.RequestException, OSError, KeyError, ValueError) as e:
                mislukt.append(Probleem(melding=f"CBS-tabel {tabel} van {CBS_ODATA}/{tabel}: {e}"))
    _log(out, log, notities)
    if notities and voortgang:
        for n in notities:
            tqdm.write(n)
    if mislukt:
        raise DataFout(out, mislukt, verwacht=(
            f"{len(lijst) + len(tabellen)} bestanden en tabellen; {len(gelukt)} gelukt. Probeer opnieuw: wat al binnen is, wordt overgeslagen "
            "en halve downloads gaan verder"))
    return gelukt
