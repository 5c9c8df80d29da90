"""Bad input: every case must give a clear Dutch message naming file, line and column."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hulp import FIXTURES
from regioportret.context import actieve_indeling
from regioportret.errors import DataFout, IndelingFout, SelectieFout
from regioportret.model import kies_regios
from regioportret.sources import herken, leerlingen
from regioportret.store import bouw

LL19 = FIXTURES / "raw" / "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2019.csv"
LL23 = FIXTURES / "raw" / "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2023.csv"


def _regels(pad=LL19, enc="cp1252"):
    return pad.read_text(encoding=enc).splitlines()


def _schrijf(tmp_path, regels, naam="01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2019.csv", enc="cp1252"):
    p = tmp_path / naam
    p.write_bytes(("\n".join(regels) + "\n").encode(enc))
    return p


def _fout(func, *args) -> str:
    with pytest.raises(DataFout) as e:
        func(*args)
    return str(e.value)


def test_ontbrekende_kolom(tmp_path):
    regels = _regels()
    regels[0] = regels[0].replace(";AFDELING;", ";AFD;")
    p = _schrijf(tmp_path, regels)
    m = _fout(herken, p)
    assert str(p) in m and "regel 1" in m and "kolom 'AFDELING'" in m and "kolom ontbreekt" in m


def test_verkeerd_scheidingsteken(tmp_path):
    p = _schrijf(tmp_path, [r.replace(";", ",") for r in _regels()])
    m = _fout(leerlingen.lees_2019, p)
    assert "regel 1" in m and "niet gescheiden door ';'" in m and "gevonden: ," in m


def test_verkeerde_codering_utf16(tmp_path):
    p = tmp_path / "01.-leerlingen-2019.csv"
    p.write_bytes(LL19.read_text(encoding="cp1252").encode("utf-16"))
    m = _fout(leerlingen.lees_2019, p)
    assert "UTF-8 of Latin-1" in m and str(p) in m


def test_onbekend_profiel(tmp_path):
    regels = _regels()
    regels[2] = regels[2].replace("Produceren, installeren en energie;6111", "Ruimtevaarttechniek;6111")
    m = _fout(leerlingen.lees_2019, _schrijf(tmp_path, regels))
    assert "regel 3" in m and "kolom 'AFDELING'" in m and "onbekend profiel 'Ruimtevaarttechniek'" in m
    assert "Verwacht: een van de tien vmbo-profielen" in m


def test_onbekende_leerweg(tmp_path):
    regels = _regels()
    regels[2] = regels[2].replace("VMBO BL lj 3-4", "VMBO XL lj 3-4")
    m = _fout(leerlingen.lees_2019, _schrijf(tmp_path, regels))
    assert "regel 3" in m and "onbekende leerweg in 'VMBO XL lj 3-4'" in m


def test_dubbele_regels(tmp_path):
    regels = _regels()
    regels.append(regels[3])
    m = _fout(leerlingen.lees_2019, _schrijf(tmp_path, regels))
    assert "regel 4" in m and "dubbele regel (ook op regel 11)" in m


def test_negatieve_telling(tmp_path):
    regels = _regels()
    velden = regels[2].split(";")
    velden[14] = "-3"
    regels[2] = ";".join(velden)
    m = _fout(leerlingen.lees_2019, _schrijf(tmp_path, regels))
    assert "regel 3" in m and "kolom 'LEER- OF VERBLIJFSJAAR 3 - MAN'" in m and "negatieve telling: '-3'" in m


def test_geen_getal(tmp_path):
    regels = _regels()
    velden = regels[2].split(";")
    velden[15] = "zeven"
    regels[2] = ";".join(velden)
    m = _fout(leerlingen.lees_2019, _schrijf(tmp_path, regels))
    assert "kolom 'LEER- OF VERBLIJFSJAAR 3 - VROUW'" in m and "geen geheel getal: 'zeven'" in m


def test_leeg_bestand(tmp_path):
    p = tmp_path / "leeg-2019.csv"
    p.write_bytes(b"")
    assert "het bestand is leeg" in _fout(leerlingen.lees_2019, p)
    assert "het bestand is leeg" in _fout(herken, p)


def test_alleen_kopregel(tmp_path):
    m = _fout(leerlingen.lees_2019, _schrijf(tmp_path, _regels()[:1]))
    assert "alleen een kopregel" in m


def test_afgebroken_bestand(tmp_path):
    regels = _regels()
    tekst = "\n".join(regels)
    afgebroken = tekst[: tekst.index(regels[5]) + 40]  # cut in the middle of line 6
    p = tmp_path / "leerlingen-2019.csv"
    p.write_bytes(afgebroken.encode("cp1252"))
    m = _fout(leerlingen.lees_2019, p)
    assert "regel 6" in m and "velden in plaats van 22" in m and "afgebroken" in m


def test_afgebroken_binnen_aanhalingstekens(tmp_path):
    tekst = LL23.read_text(encoding="utf-8")
    p = tmp_path / "leerlingen-2023.csv"
    p.write_text(tekst[: tekst.rindex('"VMBO KL') + 5], encoding="utf-8")
    m = _fout(leerlingen.lees_nieuw, p)
    assert "afgebroken" in m and "regel 5" in m


def test_ongeldige_vestigingscode(tmp_path):
    regels = _regels()
    regels[2] = regels[2].replace("99AA;00;", "99A;00;", 1)
    m = _fout(leerlingen.lees_2019, _schrijf(tmp_path, regels))
    assert "regel 3" in m and "ongeldige vestigingscode '99A00'" in m


def test_geen_jaar(tmp_path):
    m = _fout(leerlingen.lees_2019, _schrijf(tmp_path, _regels(), naam="leerlingen.csv"))
    assert "het jaar van de telling" in m


def test_twee_bestanden_zelfde_jaar(raw):
    (raw / "kopie-2019.csv").write_bytes(LL19.read_bytes())
    m = _fout(bouw, raw, raw.parent / "uit")
    assert "het jaar 2019 staat ook in" in m


def _indeling(tmp_path, tekst):
    p = tmp_path / "indeling.csv"
    p.write_text(tekst, encoding="utf-8")
    return p


def test_indeling_vestiging_in_twee_regios(tmp_path):
    from regioportret.sources.indeling import lees_indeling

    p = _indeling(tmp_path, "regionummer;regionaam;vestigingscode\n12;A;99AA00\n14;B;99AA01\n14;B;99AA00\n")
    with pytest.raises(IndelingFout) as e:
        lees_indeling(p)
    m = str(e.value)
    assert "regel 4" in m and "vestiging 99AA00 staat in meer regio's: 12, 14 (regels 2, 4)" in m


def test_indeling_slechte_nummers_en_lege_regio(tmp_path):
    from regioportret.sources.indeling import lees_indeling

    p = _indeling(tmp_path, "regionummer;regionaam;vestigingscode\nx;A;99AA00\n-3;B;99AA01\n")
    with pytest.raises(IndelingFout) as e:
        lees_indeling(p)
    m = str(e.value)
    assert "regel 2, kolom 'regionummer': geen geldig regionummer: 'x'" in m and "regel 3" in m
    p = _indeling(tmp_path, "regionummer;regionaam;vestigingscode\n12;A;99AA00\n15;Leeg;\n12;B;99AA01\n")
    with pytest.raises(IndelingFout) as e:
        lees_indeling(p)
    m = str(e.value)
    assert "regio 15 heeft geen vestigingen" in m and "regio 12 heeft meer namen: A, B" in m


def test_indeling_onbekende_vestigingscode(tmp_path):
    import regioportret as rp

    ds = rp.laad(FIXTURES / "raw")
    p = _indeling(tmp_path, "regionummer;regionaam;vestigingscode\n12;A;99AA00\n12;A;55XX01\n")
    with pytest.raises(IndelingFout) as e:
        actieve_indeling(ds, p)
    assert "regel 3" in str(e.value) and "onbekende vestigingscode 55XX01 (regio 12)" in str(e.value)


def test_onbekende_en_ongeldige_regiokeuze():
    import regioportret as rp

    ds = rp.laad(FIXTURES / "raw")
    ind = actieve_indeling(ds)
    with pytest.raises(SelectieFout, match="Onbekende regio 99"):
        kies_regios(ind, "44,99")
    with pytest.raises(SelectieFout, match="Ongeldige regiokeuze '12;x'"):
        kies_regios(ind, "12;x")


def test_cli_fout_zonder_traceback(tmp_path):
    regels = _regels()
    regels[2] = regels[2].replace("Produceren, installeren en energie;6111", "Ruimtevaarttechniek;6111")
    _schrijf(tmp_path, regels)
    r = subprocess.run([sys.executable, "-m", "regioportret.cli", "portret", "--data", str(tmp_path), "--json"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert "regel 3" in r.stderr and "onbekend profiel 'Ruimtevaarttechniek'" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1  # one paragraph


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "regioportret.cli", *args], capture_output=True, text=True,
                          timeout=300)


def _een_duidelijke_fout(r: subprocess.CompletedProcess, *stukken: str) -> None:
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr and "meld dit als issue" not in r.stderr
    assert all(s in r.stderr for s in stukken), r.stderr


def test_cli_bestandsfouten_zijn_gebruikersfouten(tmp_path):
    """A missing file, a folder in place of a file and a damaged processed file exit 1 with a
    message naming the file (not 3 and 'meld dit als issue')."""
    weg = tmp_path / "bestaat-niet.csv"
    _een_duidelijke_fout(_cli("portret", "--data", str(FIXTURES / "raw"), "--indeling", str(weg)),
                         str(weg), "bestaat niet")
    map_ = tmp_path / "indeling.csv"
    map_.mkdir()
    _een_duidelijke_fout(_cli("portret", "--data", str(FIXTURES / "raw"), "--indeling", str(map_)),
                         str(map_), "is een map, geen bestand")
    verwerkt = bouw(FIXTURES / "raw", tmp_path / "verwerkt", voortgang=False)
    (verwerkt / "leerlingen.parquet").write_bytes(b"geen parquet")
    _een_duidelijke_fout(_cli("portret", "--data", str(verwerkt)), "leerlingen.parquet", "beschadigd",
                         "regioportret data build")


def test_data_build_weigert_map_als_bestand_en_onbekende_codes(raw, tmp_path):
    (raw / "examenkandidaten-en-geslaagden-2019-2024.csv").mkdir()
    _een_duidelijke_fout(_cli("data", "build", "--raw", str(raw), "--out", str(tmp_path / "a")),
                         "examenkandidaten-en-geslaagden-2019-2024.csv", "dit is een map, geen bestand")
    (raw / "examenkandidaten-en-geslaagden-2019-2024.csv").rmdir()
    (raw / "regio-indeling.csv").write_text("regionummer;regionaam;vestigingscode\n1;A;55XX01\n", encoding="utf-8")
    _een_duidelijke_fout(_cli("data", "build", "--raw", str(raw), "--out", str(tmp_path / "b")),
                         "regio-indeling.csv", "regel 2", "onbekende vestigingscode 55XX01")
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()  # nothing half-written


def test_te_lange_of_vreemde_regiokeuze_geeft_een_nederlandse_melding(monkeypatch):
    """'?regio=' with thousands of digits, or more regions than exist, is refused in Dutch
    (Python's own 4,300-digit error never reaches a page)."""
    import regioportret as rp
    from regioportret.views import notebook

    ind = actieve_indeling(rp.laad(FIXTURES / "raw"))
    for waarde in ("1" * 5000, ",".join(["44"] * 500), "44," + "9" * 7):
        with pytest.raises(SelectieFout, match="Ongeldige regiokeuze") as e:
            kies_regios(ind, waarde)
        assert len(str(e.value)) < 200
    monkeypatch.setattr(notebook, "query_string", lambda: "regio=" + "1" * 5000 + "&vestiging=99AA00")
    with pytest.raises(SelectieFout, match="te lang"):
        notebook.query_waarde("regio")
    assert notebook.query_waarde("vestiging") == "99AA00" and notebook.query_waarde("ontbreekt", 7) == 7


def test_paginas_met_een_te_lang_adres(monkeypatch, demo_ctx):
    """The dashboard, the form and the builder answer a forged address with a Dutch message."""
    from regioportret.views import aanvraag, bouwer, dashboard, notebook

    lang = "regio=" + "1" * 5000
    for module in (notebook,):
        monkeypatch.setattr(module, "query_string", lambda: lang)
    d = dashboard.Dashboard(demo_ctx)
    d.verwerk_verzoek()
    assert "te lang" in d.melding.value and d.gekozen == []
    getoond = []
    monkeypatch.setattr(aanvraag, "_display", getoond.append)
    assert aanvraag.toon_formulier() is None and "te lang" in getoond[-1]
    monkeypatch.setattr(bouwer, "open_context", lambda data=None: demo_ctx)
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: None)
    b = bouwer.toon_regiobouwer()
    assert "te lang" in b.melding.value


def test_regionummer_hoogstens_zes_cijfers(tmp_path):
    """A huge region number never overflows into another region's number: it is refused, in Dutch,
    with its line (a registration number is a positive whole number of at most six digits)."""
    from regioportret.sources.indeling import lees_indeling

    p = _indeling(tmp_path, "regionummer;regionaam;vestigingscode\n99999999999999999999999;A;99AA00\n"
                            "1234567;B;99AA01\n0;C;99AA02\n123456;D;99AA03\n")
    with pytest.raises(IndelingFout) as e:
        lees_indeling(p)
    m = str(e.value)
    assert "regel 2, kolom 'regionummer': geen geldig regionummer: '99999999999999999999999'" in m
    assert "regel 3" in m and "regel 4" in m and "regel 5" not in m and "zes cijfers" in m


def test_willekeurige_bytes_en_een_onbekende_kopregel_noemen_het_bestand(tmp_path):
    """A leerlingen CSV of random bytes exits 1 naming the file and line 1 (not 3, not csv's
    English); a folder whose only file has an unknown header says which file and what it read."""
    import random

    rng = random.Random(7)
    rommel = tmp_path / "rommel"
    rommel.mkdir()
    pad = rommel / "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2019.csv"
    pad.write_bytes(b"BRIN\r" + bytes(rng.randrange(256) for _ in range(4000)))
    r = _cli("portret", "--data", str(rommel))
    _een_duidelijke_fout(r, str(pad), "regel 1", "geen tekstbestand")
    onbekend = tmp_path / "onbekend"
    onbekend.mkdir()
    (onbekend / "cijfers.csv").write_text("A;B;C\n1;2;3\n", encoding="utf-8")
    r = _cli("portret", "--data", str(onbekend))
    _een_duidelijke_fout(r, "cijfers.csv: geen bekend formaat (kopregel: A;B;C)")


def test_een_onleesbaar_of_onbekend_bestand_tussen_goede_wordt_genoemd(raw):
    """Among good files: random bytes under a data file's name stop the command (exit 1, the
    file named), never skipped silently (the portrait would quietly use another year); a CSV
    with a header no reader knows is left out, and every command says which and what it read."""
    import random

    examens = raw / "examens-2019-2024.csv"
    bewaard = examens.read_bytes()
    examens.write_text("A;B;C\n1;2;3\n", encoding="utf-8")
    r = _cli("portret", "--data", str(raw), "--regio", "44")
    assert r.returncode == 0, r.stderr
    assert "let op, niet gelezen: examens-2019-2024.csv: geen bekend formaat (kopregel: A;B;C)" in r.stderr
    assert "onverwachte fout" not in r.stderr  # the forecast with fewer exam years did crash
    examens.write_bytes(bewaard)
    leerlingen_2023 = raw / "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2023.csv"
    rng = random.Random(3)
    leerlingen_2023.write_bytes(bytes(rng.randrange(256) for _ in range(30000)))
    _een_duidelijke_fout(_cli("portret", "--data", str(raw), "--regio", "44"), str(leerlingen_2023),
                         "regel 1", "geen tekstbestand")


def test_regios_als_tekst():
    """`regioportret regios` without --json prints every region's key figures (it crashed with a
    TypeError before)."""
    r = _cli("regios", "--data", str(FIXTURES / "raw"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("Regioportret: ") == 2 and "In technische profielen: " in r.stdout
    assert "onverwachte fout" not in r.stderr
