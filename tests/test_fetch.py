"""The official fetch, against a local HTTP server that mirrors the official URL paths."""

from __future__ import annotations

import io
import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from hulp import FIXTURES
from regioportret.errors import DataFout
from regioportret.fetch import CBS_FILTER, CBS_TABELLEN, _herbasis, bronnen, cbs_url, haal_op

CBS_FIXTURES = FIXTURES / "arbeidsmarkt" / "cbs"


def _sleutel(url: str) -> str:
    d = urlsplit(url)
    return f"/{d.netloc}{d.path}" + (f"?{d.query}" if d.query else "")


def cbs_spiegel(tabellen=tuple(CBS_TABELLEN), weglaten: str | None = None) -> dict[str, bytes]:
    """StatLine's OData endpoints for each table, from the fixtures, with TypedDataSet split
    over two pages joined by odata.nextLink (as StatLine pages large results)."""
    inhoud = {}
    for tabel in tabellen:
        for f in (CBS_FIXTURES / tabel).glob("*.json"):
            if f.stem == weglaten:
                continue
            obj = json.loads(f.read_text(encoding="utf-8"))
            if f.stem != "TypedDataSet":
                inhoud[_sleutel(cbs_url(tabel, f.stem))] = json.dumps(obj).encode()
                continue
            waarden, half = obj["value"], len(obj["value"]) // 2
            tweede = cbs_url(tabel, "TypedDataSet", CBS_FILTER) + f"&%24skip={half}"
            inhoud[_sleutel(cbs_url(tabel, "TypedDataSet", CBS_FILTER))] = json.dumps(
                {**obj, "value": waarden[:half], "odata.nextLink": tweede}).encode()
            inhoud[_sleutel(tweede)] = json.dumps({**obj, "value": waarden[half:]}).encode()
    return inhoud


class _Spiegel(BaseHTTPRequestHandler):
    bestanden: dict[str, bytes] = {}
    verzoeken: list[tuple[str, str | None]] = []

    def do_GET(self):  # noqa: N802
        pad = self.path  # /host/path?query
        type(self).verzoeken.append((pad, self.headers.get("Range")))
        data = self.bestanden.get(pad)
        if data is None:
            self.send_error(404)
            return
        bereik = self.headers.get("Range")
        if bereik:
            start = int(bereik.split("=")[1].split("-")[0])
            if start >= len(data):
                self.send_response(416)
                self.end_headers()
                return
            stuk = data[start:]
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            stuk = data
            self.send_response(200)
        self.send_header("Content-Length", str(len(stuk)))
        self.end_headers()
        self.wfile.write(stuk)

    def log_message(self, *args):
        pass


@pytest.fixture
def spiegel():
    inhoud = {}
    ll = (FIXTURES / "raw" / "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2019.csv").read_bytes()
    zipbuf = io.BytesIO()
    with zipfile.ZipFile(zipbuf, "w") as z:
        z.writestr("NL.txt", (FIXTURES / "raw" / "pc4.txt").read_text())
    for b in bronnen([2019]):
        d = urlsplit(b.url)
        sleutel = f"/{d.netloc}{d.path}" + (f"?{d.query}" if d.query else "")
        if "naar-postcode" in b.url:
            inhoud[sleutel] = (FIXTURES / "woonplaats" /
                               "02.-leerlingen-vo-per-vestiging-naar-postcode-leerling-en-leerjaar-2019.csv").read_bytes()
        elif "leerlingen" in b.url:
            inhoud[sleutel] = ll
        elif b.uitpakken:
            inhoud[sleutel] = zipbuf.getvalue()
        elif "geslaagden-gezakten" in b.url:
            continue  # this one is "missing" on the server
        else:
            inhoud[sleutel] = f"inhoud van {b.bestand}\n".encode() * 50
    inhoud.update(cbs_spiegel())
    _Spiegel.bestanden, _Spiegel.verzoeken = inhoud, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Spiegel)
    draad = threading.Thread(target=server.serve_forever, daemon=True)
    draad.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Spiegel
    server.shutdown()


def test_officiele_urls():
    urls = [b.url for b in bronnen([2019])]
    assert "https://duo.nl/open_onderwijsdata/images/01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2019.csv" in urls
    assert "https://duo.nl/open_onderwijsdata/images/02.-alle-vestigingen-vo.csv" in urls
    assert any(u.startswith("https://service.pdok.nl/cbs/gebiedsindelingen/") and "gemeente_gegeneraliseerd" in u
               for u in urls)
    assert _herbasis("https://duo.nl/a/b.csv?x=1", "http://127.0.0.1:9") == "http://127.0.0.1:9/duo.nl/a/b.csv?x=1"


def test_fetch_met_fout_per_bestand_en_hervatten(spiegel, tmp_path):
    basis, server = spiegel
    out = tmp_path / "ruw"
    # A previous, interrupted download of the student file:
    ll = (FIXTURES / "raw" / "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2019.csv").read_bytes()
    deel = out / "duo" / "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2019.csv.part"
    deel.parent.mkdir(parents=True)
    deel.write_bytes(ll[:500])
    with pytest.raises(DataFout) as e:
        haal_op(out, jaren="2019", basis_url=basis, voortgang=False)
    m = str(e.value)
    assert "geslaagden-gezakten-en-cijfers-2019-2020.csv" in m and "404" in m
    assert "gelukt" in m
    # resumed with a Range request and completed byte for byte
    doel = out / "duo" / "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2019.csv"
    assert doel.read_bytes() == ll and not deel.exists()
    assert ("bytes=500-" in [r for p, r in server.verzoeken if "leerlingen" in p])
    # the zip was unpacked to the GeoNames text file
    assert (out / "geo" / "geonames-NL-pc4.txt").read_text() == (FIXTURES / "raw" / "pc4.txt").read_text()
    assert not list(out.rglob("*.part")) and not list(out.rglob("*.zip"))
    # A second run skips what is complete and still names the missing file
    aantal = len(server.verzoeken)
    with pytest.raises(DataFout, match="geslaagden-gezakten"):
        haal_op(out, jaren="2019", basis_url=basis, voortgang=False)
    # DUO's portal datasets and dataset pages (not on this mirror: the known names are used) and the
    # missing file, under each of its published names
    from regioportret.fetch import DUO_LIJSTEN, PORTAAL_REEKSEN

    paginas = {p for ps in DUO_LIJSTEN.values() for p in ps}
    assert len(server.verzoeken) == aantal + len(PORTAAL_REEKSEN) + len(paginas) + 4
    # and the fetched folder builds: the layouts were recognised by header
    from regioportret.store import bouw

    (out / "geo" / "gemeente_2024.geojson").unlink()  # our mirror served placeholder text there
    (out / "geo" / "arbeidsmarktregio_2024.geojson").unlink()
    for p in Path(out / "duo").glob("0[2]*"):
        p.unlink()
    for p in Path(out / "duo").glob("examen*"):
        p.unlink()
    (out / "duo" / "11.-leerlingenprognose-vo-2024-2039.csv").unlink()
    bouw(out, tmp_path / "verwerkt", voortgang=False)
    # the CBS tables arrived whole (both pages) and read as the fixtures do
    import pandas as pd

    from regioportret.sources.arbeidsmarkt import lees_cbs

    for tabel in CBS_TABELLEN:
        opgehaald = json.loads((out / "cbs" / tabel / "TypedDataSet.json").read_text(encoding="utf-8"))
        origineel = json.loads((CBS_FIXTURES / tabel / "TypedDataSet.json").read_text(encoding="utf-8"))
        assert opgehaald["value"] == origineel["value"] and "odata.nextLink" not in opgehaald
        a = lees_cbs(out / "cbs" / tabel / "TypedDataSet.json").drop(columns="bron")
        b = lees_cbs(CBS_FIXTURES / tabel / "TypedDataSet.json").drop(columns="bron")
        pd.testing.assert_frame_equal(a, b)
    verwerkt = pd.read_parquet(tmp_path / "verwerkt" / "arbeidsmarkt.parquet")
    assert set(verwerkt["tabel"]) == set(CBS_TABELLEN)


def test_cbs_tabel_mislukt_zonder_halve_map(tmp_path):
    """A dimension StatLine does not serve: the failure names table and URL; nothing half."""
    _Spiegel.bestanden, _Spiegel.verzoeken = cbs_spiegel(("85494NED",), weglaten="Persoonskenmerken"), []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Spiegel)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(DataFout) as e:
            haal_op(tmp_path, jaren="2019", basis_url=f"http://127.0.0.1:{server.server_address[1]}",
                    voortgang=False, cbs_tabellen=["85494NED"])
    finally:
        server.shutdown()
    assert "CBS-tabel 85494NED" in str(e.value) and "Persoonskenmerken" in str(e.value)
    assert not (tmp_path / "cbs" / "85494NED").exists() and not list(tmp_path.rglob("*.part"))


def _xlsx_van_csv(pad: Path) -> bytes:
    """A DUO CSV as the XLSX edition DUO publishes for some years: the same columns, counts as numbers."""
    import csv

    from openpyxl import Workbook

    tekst = pad.read_bytes().decode("cp1252")
    rijen = list(csv.reader(io.StringIO(tekst), delimiter=";"))
    wb = Workbook()
    ws = wb.active
    for i, rij in enumerate(rijen):
        ws.append([int(c) if i and c.isdigit() and len(c) < 6 else c for c in rij])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class _Uitgever(_Spiegel):
    """The publishers as a user meets them: odd names, a redirect, a server that hiccups once."""

    doorverwijzingen: dict[str, str] = {}
    haperen: dict[str, int] = {}

    def do_GET(self):  # noqa: N802
        pad = self.path
        if pad in self.doorverwijzingen:
            type(self).verzoeken.append((pad, None))
            self.send_response(302)
            self.send_header("Location", self.doorverwijzingen[pad])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.haperen.get(pad, 0) > 0:
            self.haperen[pad] -= 1
            type(self).verzoeken.append((pad, "503"))
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()


def _geo_en_cbs() -> dict[str, bytes]:
    """The non-DUO publishers on the replay: PDOK's two WFS layers and StatLine's tables."""
    raw = FIXTURES / "raw"
    inhoud = {}
    for b in bronnen([2016]):
        if "gemeente_gegeneraliseerd" in b.url:
            inhoud[_sleutel(b.url)] = (raw / "gemeenten.geojson").read_bytes()
        elif "arbeidsmarktregio_gegeneraliseerd" in b.url:
            inhoud[_sleutel(b.url)] = (raw / "arbeidsmarktregios.topojson").read_bytes()
    return inhoud | cbs_spiegel()


def _pagina(links: list[str]) -> bytes:
    """A DUO dataset page as its HTML lists the editions: relative and absolute links, other links between."""
    return ("<html><body><h1>Databestand</h1><a href='/open_onderwijsdata/'>terug</a><ul>"
            + "".join(f"<li><a href=\"{u}\">{u.rsplit('/', 1)[-1]}</a></li>" for u in links)
            + "</ul><a href='mailto:x@duo.nl'>contact</a></body></html>").encode()


@pytest.mark.parametrize("met_pagina", [True, False], ids=["duo-paginas", "bekende-namen"])
def test_replay_elk_jaar_elke_vorm_fetch_en_build(tmp_path, met_pagina):
    """`data fetch` + `data build` end to end against a local replay of the publishers' names and
    layouts: students by teldatum year and by school year, CSV and XLSX; a results file with a
    comma in its name; the 2014-2019 exam file; DUO's forecast under an older vintage's name; a
    redirect; a 503 that a retry absorbs. With DUO's dataset pages the files are found by their
    links (also an edition no table names); without them, by the known names."""
    import pandas as pd

    from regioportret.fetch import DUO, GEONAMES_NL
    from regioportret.store import Dataset, bouw

    raw = FIXTURES / "raw"
    ll19 = (raw / "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2019.csv").read_bytes()
    ll23 = (raw / "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2023.csv").read_bytes()
    res = (raw / "geslaagden-gezakten-en-cijfers-2018-2019.csv").read_bytes()
    duo = "/" + DUO.split("://", 1)[1]
    zipbuf = io.BytesIO()
    with zipfile.ZipFile(zipbuf, "w") as z:
        z.writestr("NL.txt", (raw / "pc4.txt").read_text())
    ll = "01.-leerlingen-vo-per-vestiging-naar-onderwijstype"
    inhoud = {
        f"{duo}/{ll}-2016-2017.xlsx": _xlsx_van_csv(raw / f"{ll}-2019.csv"),  # XLSX, school-year name
        f"{duo}/{ll}-2017-2018.csv": ll19,  # CSV, school-year name
        f"{duo}/{ll}-2019.csv": ll19,
        f"{duo}/{ll}-2021.csv": ll19,
        f"{duo}/{ll}-2023.csv": ll23,  # the newer layout (INSTELLINGSCODE, quoted UTF-8, <5)
        f"{duo}/geslaagden-gezakten-en-cijfers-2016-2017.csv": res,
        f"{duo}/geslaagden-gezakten-en-cijfers-2017-2018.xlsx": _xlsx_van_csv(raw / "geslaagden-gezakten-en-cijfers-2018-2019.csv"),
        f"{duo}/geslaagden-gezakten-en-cijfers-2019-2020.csv": res,
        f"{duo}/geslaagden,-gezakten-en-cijfers-2021-2022.csv": res,  # the comma DUO put in this name
        f"{duo}/geslaagden-gezakten-en-cijfers-2023-2024.csv": res,
        f"{duo}/examenkandidaten-en-geslaagden-2014-2019.csv": (raw / "examens-2014-2019.csv").read_bytes(),
        f"{duo}/examenkandidaten-en-geslaagden-2019-2024.csv": (raw / "examens-2019-2024.csv").read_bytes(),
        f"{duo}/examenkandidaten-en-geslaagden-2020-2025.csv": (raw / "examens-2019-2024.csv").read_bytes(),
        f"{duo}/11-leerlingenprognose-vo-2012-2037.csv": b"BRIN NUMMER;VMBO 2019;VMBO 2020\n99AA;10;11\n",
        "/duo.nl/bestanden/02.-alle-vestigingen-vo.csv": (raw / "alle-vestigingen.csv").read_bytes(),
        "/" + GEONAMES_NL.split("://", 1)[1]: zipbuf.getvalue(),
    }
    if met_pagina:
        from regioportret.fetch import DUO_LIJSTEN

        images = "/open_onderwijsdata/images"
        per_reeks = {"leerlingen": [k for k in inhoud if "/01.-leerlingen" in k],
                     "resultaten": [k for k in inhoud if "cijfers-" in k],
                     "examens": [k for k in inhoud if "examenkandidaten" in k] + [f"{duo}/examenkandidaten-en-geslaagden-2021-2026.csv"],
                     "vestigingen": [f"{duo}/02.-alle-vestigingen-vo.csv"]}
        inhoud[f"{duo}/examenkandidaten-en-geslaagden-2021-2026.csv"] = (raw / "examens-2019-2024.csv").read_bytes()
        paginas: dict[str, list[str]] = {}  # the current pages (one page may list several series); the old ones 404
        for reeks, paden in per_reeks.items():
            paginas.setdefault(DUO_LIJSTEN[reeks][0], []).extend(
                images + "/" + p.rsplit("/", 1)[1] if i % 2 else "https://duo.nl" + images + "/" + p.rsplit("/", 1)[1]
                for i, p in enumerate(paden))
        for pagina, links in paginas.items():
            inhoud[_sleutel(pagina)] = _pagina(links)
    inhoud.update(_geo_en_cbs())
    _Uitgever.bestanden, _Uitgever.verzoeken = inhoud, []
    _Uitgever.doorverwijzingen = {f"{duo}/02.-alle-vestigingen-vo.csv": "/duo.nl/bestanden/02.-alle-vestigingen-vo.csv"}
    _Uitgever.haperen = {f"{duo}/{ll}-2019.csv": 1}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Uitgever)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out = tmp_path / "ruw"
    try:
        haal_op(out, jaren="2016,2017,2019,2021,2023", basis_url=f"http://127.0.0.1:{server.server_address[1]}",
                voortgang=False)
    finally:
        server.shutdown()
    verzoeken = [p for p, _ in _Uitgever.verzoeken]
    assert (f"{duo}/{ll}-2019.csv", "503") in _Uitgever.verzoeken and verzoeken.count(f"{duo}/{ll}-2019.csv") == 2
    if met_pagina:  # found by DUO's links: no name guessed, and an edition no table names is fetched
        assert f"{duo}/{ll}-2016.csv" not in verzoeken
        assert (out / "duo" / "examenkandidaten-en-geslaagden-2021-2026.csv").exists()
    else:
        assert f"{duo}/{ll}-2016.csv" in verzoeken  # the teldatum name first, then the others in order
    duo_map = out / "duo"
    assert (duo_map / f"{ll}-2016-2017.xlsx").exists() and (duo_map / "geslaagden,-gezakten-en-cijfers-2021-2022.csv").exists()
    assert (duo_map / "11-leerlingenprognose-vo-2012-2037.csv").exists()
    assert (duo_map / "02.-alle-vestigingen-vo.csv").read_bytes() == inhoud["/duo.nl/bestanden/02.-alle-vestigingen-vo.csv"]
    assert not list(out.rglob("*.part"))
    # the fetch log: every file with its URL, size and SHA-256
    log = {r["bestand"]: r for r in json.loads((out / "fetch.json").read_text(encoding="utf-8"))["bestanden"]}
    import hashlib

    for naam, r in log.items():
        data = (out / naam).read_bytes()
        assert r["bytes"] == len(data) and r["sha256"] == hashlib.sha256(data).hexdigest(), naam
    assert log[f"duo/{ll}-2016-2017.xlsx"]["url"].endswith(f"{ll}-2016-2017.xlsx")
    # and everything builds: each year, each layout
    bouw(out, tmp_path / "verwerkt", voortgang=False)
    ds = Dataset(tmp_path / "verwerkt")
    assert ds.manifest["jaren"]["leerlingen"] == [2016, 2017, 2019, 2021, 2023]
    assert sorted(ds.resultaten["jaar"].unique()) == [2016, 2017, 2019, 2021, 2023]
    assert min(ds.manifest["jaren"]["examens"]) == 2014
    ll_xlsx = ds.leerlingen[ds.leerlingen["jaar"] == 2016].drop(columns=["jaar", "bron"]).reset_index(drop=True)
    ll_csv = ds.leerlingen[ds.leerlingen["jaar"] == 2019].drop(columns=["jaar", "bron"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(ll_xlsx, ll_csv)  # the XLSX edition reads exactly as its CSV
    bron = {b["bestand"]: b for b in ds.manifest["bronnen"]}
    assert bron[f"{ll}-2016-2017.xlsx"]["sha256"] == log[f"duo/{ll}-2016-2017.xlsx"]["sha256"]


def test_docs_data_noemt_wat_fetch_haalt():
    """docs/data.md's coverage table says what fetch.py does: every name pattern and year range."""
    from hulp import PROJECT
    from regioportret.fetch import (
        DUO_EXAMENS,
        DUO_PROGNOSE,
        DUO_REEKSEN,
        DUO_VESTIGINGEN,
        STANDAARD_JAREN,
    )

    tekst = (PROJECT / "docs" / "data.md").read_text(encoding="utf-8")
    tabel = tekst.split("## What `regioportret data fetch` covers", 1)[1].split("\n## ", 1)[0]
    rijen = {r.split("|")[1].strip(): r for r in tabel.splitlines() if r.startswith("| ") and "---" not in r}
    ll = rijen["DUO 01. Leerlingen vo per vestiging naar onderwijstype"]
    res = rijen["DUO Geslaagden, gezakten en gemiddelde examencijfers"]
    for rij, reeks in ((ll, DUO_REEKSEN["leerlingen"]), (res, DUO_REEKSEN["resultaten"])):
        assert [f"`{n}`" for n in reeks["namen"]] == [x.strip() for x in rij.split("|")[3].split(", ")]
        assert f"{reeks['jaren'][0]}-{reeks['jaren'][-1]}" in rij.split("|")[2]
    assert f"{STANDAARD_JAREN[0]}-{STANDAARD_JAREN[-1]}" in ll.split("|")[2]
    ex = rijen["DUO Examenkandidaten en geslaagden (five school years per file)"].split("|")[3]
    assert [x.strip() for x in ex.split(", ")] == [f"`{n}`" for n in DUO_EXAMENS]
    pr = rijen["DUO 11. Leerlingenprognose vo"].split("|")[3]
    assert [x.strip() for x in pr.split(", ")] == [f"`{n}`" for n in DUO_PROGNOSE]
    ve = rijen["DUO 02. Alle vestigingen vo"].split("|")[3]
    assert [x.strip() for x in ve.split(", ")] == [f"`{n}`" for n in DUO_VESTIGINGEN]
    wp = rijen["DUO 02. Leerlingen per vestiging naar postcode en leerjaar (optional)"].split("|")[3]
    assert [x.strip() for x in wp.split(", ")] == [f"`{n}`" for n in DUO_REEKSEN["woonplaatsen"]["namen"]]
    from regioportret.fetch import DUO_LIJSTEN, PORTAAL_REEKSEN

    for reeks, paginas in DUO_LIJSTEN.items():
        assert f"| {reeks} | " + ", then ".join(f"`{p}`" for p in paginas) + " |" in tabel
    for reeks, d in PORTAAL_REEKSEN.items():
        assert f"| {reeks} | `{d['dataset']}` | `{d['bestand']}` |" in tabel


def test_bekende_namen_dekken_wat_duo_nu_publiceert():
    """Every file name DUO publishes today (as other people's public code downloads it) is in the
    known names or matched by the pages' link patterns, for the series fetch takes."""
    from regioportret.fetch import (
        DUO_EXAMENS,
        DUO_PATRONEN,
        DUO_PROGNOSE,
        DUO_REEKSEN,
        DUO_VESTIGINGEN,
    )

    vandaag = {
        "leerlingen": ["01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2024.csv",
                       "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2025.csv"],
        "woonplaatsen": ["02.-leerlingen-per-vestiging-naar-postcode-en-leerjaar-2025.csv",
                         "02.-leerlingen-per-vestiging-naar-postcode-en-leerjaar-2012.csv",
                         "02.-leerlingen-per-vestiging-naar-postcode-en-leerjaar-2017-2018.csv"],
        "vestigingen": ["02.-alle-vestigingen-vo.csv", "02.-alle-vestigingen-vo.xlsx", "02-alle-vestigingen-vo.csv"],
        "examens": ["examenkandidaten-en-geslaagden-2019-2024.csv", "examenkandidaten-en-geslaagden-2020-2025.csv",
                    "examenkandidaten-en-geslaagden-2020-2025.xlsx", "06-examenkandidaten-en-geslaagden-2013-2018.csv"],
        "resultaten": ["geslaagden-gezakten-en-cijfers-2023-2024.csv", "geslaagden-gezakten-en-cijfers-2024-2025.csv",
                       "geslaagden-gezakten-en-cijfers-2022-2023.csv", "geslaagden,-gezakten-en-cijfers-2021-2022.csv",
                       "07.-geslaagden,-gezakten-en-cijfers-2016-2017.xlsx"],
    }
    for reeks, namen in vandaag.items():
        for naam in namen:
            assert DUO_PATRONEN[reeks].match(naam), (reeks, naam)
    bekend = {n.format(j=j, k=j + 1) for r in DUO_REEKSEN.values() for n in r["namen"] for j in r["jaren"]}
    bekend |= set(DUO_EXAMENS) | set(DUO_VESTIGINGEN) | set(DUO_PROGNOSE)
    for naam in ["01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2025.csv",
                 "02.-leerlingen-per-vestiging-naar-postcode-en-leerjaar-2025.csv", "02.-alle-vestigingen-vo.csv",
                 "02-alle-vestigingen-vo.csv", "02.-alle-vestigingen-vo.xlsx",
                 "examenkandidaten-en-geslaagden-2019-2024.csv", "examenkandidaten-en-geslaagden-2020-2025.csv",
                 "06-examenkandidaten-en-geslaagden-2013-2018.csv", "geslaagden-gezakten-en-cijfers-2024-2025.csv",
                 "geslaagden,-gezakten-en-cijfers-2021-2022.csv", "07.-geslaagden,-gezakten-en-cijfers-2016-2017.xlsx",
                 "11-leerlingenprognose-vo-2012-2037.csv"]:
        assert naam in bekend, naam
    assert not DUO_PATRONEN["woonplaatsen"].match("02.-alle-vestigingen-vo.csv")


def test_cbs_tabel_met_alleen_het_land_is_een_fout(tmp_path):
    """The filter asks for the arbeidsmarktregio's and the country: a table that answers with the
    national row alone has no regional figures, and fetch says so (the check must be able to fire)."""
    tabel = "85494NED"
    inhoud = cbs_spiegel((tabel,))
    for sleutel, data in list(inhoud.items()):
        if "TypedDataSet" in sleutel:
            obj = json.loads(data)
            obj["value"] = [w for w in obj["value"] if not str(w.get("RegioS", "")).strip().startswith("AM")]
            inhoud[sleutel] = json.dumps(obj).encode()
    assert any(json.loads(d)["value"] for k, d in inhoud.items() if "TypedDataSet" in k)  # the country is there
    _Spiegel.bestanden, _Spiegel.verzoeken = inhoud, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Spiegel)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(DataFout, match="geen cijfers per arbeidsmarktregio"):
            haal_op(tmp_path, jaren="2019", basis_url=f"http://127.0.0.1:{server.server_address[1]}",
                    voortgang=False, cbs_tabellen=[tabel])
    finally:
        server.shutdown()
    assert not (tmp_path / "cbs" / tabel).exists()


def test_leerlingen_naar_postcode_is_optioneel(spiegel, tmp_path):
    """Where pupils live is optional: a publisher without that file gives a note in fetch.json,
    not an error (only the really missing file is named)."""
    basis, server = spiegel
    server.bestanden = {k: v for k, v in server.bestanden.items() if "naar-postcode" not in k}
    out = tmp_path / "ruw"
    with pytest.raises(DataFout) as e:
        haal_op(out, jaren="2019", basis_url=basis, voortgang=False)
    assert "geslaagden-gezakten" in str(e.value) and "naar-postcode" not in str(e.value)
    log = json.loads((out / "fetch.json").read_text(encoding="utf-8"))
    assert any("naar-postcode" in n and "optioneel" in n for n in log["notities"])
    assert [p for p, _ in server.verzoeken if "naar-postcode" in p]  # it was asked for


def _vrije_poort() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_offline_binnen_seconden_een_zin_en_niets_geschreven(tmp_path, capsys):
    """DUO cannot be reached (nothing listens; or resolving hangs, as without DNS): fetch stops
    within 10 s with one Dutch sentence, exit status 1, and writes nothing."""
    import socket
    import time

    from regioportret import cli

    out = tmp_path / "ruw"
    start = time.monotonic()
    assert cli.main(["data", "fetch", "--out", str(out), "--basis-url", f"http://127.0.0.1:{_vrije_poort()}"]) == 1
    assert time.monotonic() - start < 10
    fout = capsys.readouterr().err.strip()
    assert "DUO is niet bereikbaar" in fout and "internetverbinding" in fout and "Traceback" not in fout
    assert len(fout.splitlines()) == 1 and not out.exists()

    def hangt(*a, **k):  # a resolver that never answers
        time.sleep(60)

    echt = socket.create_connection
    socket.create_connection = hangt
    try:
        start = time.monotonic()
        with pytest.raises(DataFout, match="DUO is niet bereikbaar.*duo.nl en onderwijsdata.duo.nl"):
            haal_op(out, voortgang=False)
        assert time.monotonic() - start < 10
    finally:
        socket.create_connection = echt
    assert not out.exists()


def _portaal_antwoord(dataset: str, bronnen_: list[tuple[str, str]]) -> bytes:
    """CKAN's package_show as DUO's portal answers it: the resources with id and download URL."""
    return json.dumps({"success": True, "result": {"name": dataset, "resources": [
        {"id": rid, "name": url.rsplit("/", 1)[-1], "url": url, "format": "CSV"} for rid, url in bronnen_]}}).encode()


def test_replay_hele_route_portaal_paginas_namen_tot_portret(tmp_path):
    """The whole route against a local replay of DUO as it publishes today: the portal's API
    (package_show) for the forecast, primary-school pupils and RIO locations; the current pages
    (links as DUO writes them) for the students, exams and addresses, the old pages answering
    404; a redirect; the postcode file under today's name. Then a second fetch after DUO replaced
    a resource (new URL, same id; the old URL 404). `data fetch`, `data build`, `portret --json`."""
    from urllib.parse import urlencode

    from regioportret import cli
    from regioportret.fetch import DUO, DUO_LIJSTEN, GEONAMES_NL, PORTAAL, PORTAAL_REEKSEN

    raw, po = FIXTURES / "raw", FIXTURES / "portaal"
    duo = "/" + DUO.split("://", 1)[1]
    portaal_host = "https://onderwijsdata.duo.nl"
    ll = "01.-leerlingen-vo-per-vestiging-naar-onderwijstype"
    wp = "02.-leerlingen-per-vestiging-naar-postcode-en-leerjaar"

    def res(uuid: str, naam: str) -> str:
        return f"{portaal_host}/dataset/{uuid}/resource/r-{uuid}/download/{naam}"

    bestanden_portaal = {"prognose": ("p1", "brin4_prognosesvo.csv"), "po_vestiging": ("p2", "brin6_leeftijd.csv"),
                         "po_gemeente": ("p3", "gemeente_leeftijd.csv"), "rio_locaties": ("p4", "onderwijslocaties.csv")}
    zipbuf = io.BytesIO()
    with zipfile.ZipFile(zipbuf, "w") as z:
        z.writestr("NL.txt", (raw / "pc4.txt").read_text())
    inhoud = {
        f"{duo}/{ll}-2023.csv": (raw / f"{ll}-2023.csv").read_bytes(),
        f"{duo}/{wp}-2023.csv": (FIXTURES / "woonplaats" /
                                 "02.-leerlingen-vo-per-vestiging-naar-postcode-leerling-en-leerjaar-2023.csv").read_bytes(),
        f"{duo}/examenkandidaten-en-geslaagden-2019-2024.csv": (raw / "examens-2019-2024.csv").read_bytes(),
        f"{duo}/geslaagden-gezakten-en-cijfers-2023-2024.csv": (raw / "geslaagden-gezakten-en-cijfers-2018-2019.csv").read_bytes(),
        "/duo.nl/bestanden/02.-alle-vestigingen-vo.csv": (raw / "alle-vestigingen.csv").read_bytes(),
        "/" + GEONAMES_NL.split("://", 1)[1]: zipbuf.getvalue(),
    }
    for reeks, (uuid, naam) in bestanden_portaal.items():
        inhoud[_sleutel(res(uuid, naam))] = (po / naam).read_bytes()
        d = PORTAAL_REEKSEN[reeks]["dataset"]
        inhoud[_sleutel(f"{PORTAAL}?{urlencode({'id': d})}")] = _portaal_antwoord(
            d, [(f"r-x{uuid}", res("x" + uuid, "leesmij.pdf")), (f"r-{uuid}", res(uuid, naam))])
    images = "/open_onderwijsdata/images"
    paginas = {DUO_LIJSTEN["leerlingen"][0]: [f"{images}/{ll}-2023.csv", f"https://duo.nl{images}/{wp}-2023.csv"],
               DUO_LIJSTEN["examens"][0]: [f"https://duo.nl{images}/examenkandidaten-en-geslaagden-2019-2024.csv",
                                           f"{images}/geslaagden-gezakten-en-cijfers-2023-2024.csv"]}
    # the addresses' current page is not there today and its old page answers 404: the known name, redirected
    for pagina, links in paginas.items():
        inhoud[_sleutel(pagina)] = _pagina(links)
    inhoud.update(_geo_en_cbs())
    _Uitgever.bestanden, _Uitgever.verzoeken = inhoud, []
    _Uitgever.doorverwijzingen = {f"{duo}/02.-alle-vestigingen-vo.csv": "/duo.nl/bestanden/02.-alle-vestigingen-vo.csv"}
    _Uitgever.haperen = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Uitgever)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    basis = f"http://127.0.0.1:{server.server_address[1]}"
    out, verwerkt = tmp_path / "ruw", tmp_path / "verwerkt"
    try:
        assert cli.main(["data", "fetch", "--out", str(out), "--jaren", "2023", "--basis-url", basis]) == 0
        log = {r["bestand"]: r for r in json.loads((out / "fetch.json").read_text(encoding="utf-8"))["bestanden"]}
        # each file's route and where it was found
        assert log["duo/brin6_leeftijd.csv"]["route"] == "portaal" and log["duo/brin6_leeftijd.csv"]["herkomst"] == "r-p2"
        assert log["duo/onderwijslocaties.csv"]["url"] == res("p4", "onderwijslocaties.csv")
        assert log[f"duo/{ll}-2023.csv"]["route"] == "pagina"
        assert log[f"duo/{ll}-2023.csv"]["herkomst"] == DUO_LIJSTEN["leerlingen"][0]
        assert log[f"duo/{wp}-2023.csv"]["route"] == "pagina"
        assert log["duo/brin4_prognosesvo.csv"]["route"] == "portaal"
        verzoeken = [p for p, _ in _Uitgever.verzoeken]
        for reeks, ps in DUO_LIJSTEN.items():  # an old page is read only where the current one failed
            assert (_sleutel(ps[1]) in verzoeken) == (reeks == "vestigingen"), reeks
        assert log["duo/02.-alle-vestigingen-vo.csv"]["route"] == "bekende naam"
        notities = json.loads((out / "fetch.json").read_text(encoding="utf-8"))["notities"]
        assert any(DUO_LIJSTEN["vestigingen"][1] in n and "404" in n for n in notities)
        assert not [p for p in verzoeken if "leesmij.pdf" in p]  # only the resource the series takes
        # DUO replaces the RIO file: a new URL under the same resource id, the old URL gone
        oud_url, nieuw_url = res("p4", "onderwijslocaties.csv"), res("p4b", "onderwijslocaties.csv")
        del inhoud[_sleutel(oud_url)]
        inhoud[_sleutel(nieuw_url)] = (po / "onderwijslocaties.csv").read_bytes()
        d = PORTAAL_REEKSEN["rio_locaties"]["dataset"]
        inhoud[_sleutel(f"{PORTAAL}?{urlencode({'id': d})}")] = _portaal_antwoord(d, [("r-p4", nieuw_url)])
        tweede = tmp_path / "ruw2"
        assert cli.main(["data", "fetch", "--out", str(tweede), "--jaren", "2023", "--basis-url", basis]) == 0
        log2 = {r["bestand"]: r for r in json.loads((tweede / "fetch.json").read_text(encoding="utf-8"))["bestanden"]}
        assert log2["duo/onderwijslocaties.csv"]["url"] == nieuw_url and log2["duo/onderwijslocaties.csv"]["herkomst"] == "r-p4"
    finally:
        server.shutdown()
    # and on: build, then a portrait as JSON; RIO placed the schools at their address
    assert cli.main(["data", "build", "--raw", str(out), "--out", str(verwerkt)]) == 0
    from regioportret.store import Dataset

    ds = Dataset(verwerkt)
    loc = ds.locaties.set_index("vestigingscode")
    assert loc.at["99AA00", "bron"] == "rio" and loc.at["99AA00", "lat"] == 52.5125
    assert ds.po_leerlingen is not None and set(ds.po_leerlingen["soort"]) == {"vestiging", "gemeente"}
    bron = {b["bestand"] for b in ds.manifest["bronnen"]}
    assert {"brin6_leeftijd.csv", "gemeente_leeftijd.csv", "onderwijslocaties.csv", "brin4_prognosesvo.csv"} <= bron
    import contextlib

    uit = io.StringIO()
    with contextlib.redirect_stdout(uit):
        assert cli.main(["portret", "--data", str(verwerkt), "--json"]) == 0
    portret = json.loads(uit.getvalue())
    assert portret["leerlingen_totaal"] == int(ds.leerlingen.query("leerjaar in [3, 4] and leerweg.notna()")["aantal"].sum())
    assert "basisonderwijs" in json.dumps(portret, ensure_ascii=False)  # the forecast names its input
