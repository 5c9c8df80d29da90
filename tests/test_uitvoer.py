"""Outputs never destroy inputs or foreign files (issue: data build --out DIR deleted DIR).

Every folder output (data build, data demo, render --all, export --csv, reproduce) refuses a
folder that is or holds its input, or that holds anything it did not write itself; a file
output (--pdf, --xlsx) refuses a path of another kind, a folder, or a place inside the input.
Each refusal exits 1 with a Dutch message before anything is written or removed.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hulp import FIXTURES
from regioportret.errors import UitvoerFout
from regioportret.store import UITVOERMERK, bouw, is_verwerkt, vrije_uitvoermap, wissel_in


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "regioportret.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=300)


def _inhoud(map_: Path) -> dict[str, str]:
    """Every file below `map_` with its SHA-256: what must survive a refused command unchanged."""
    return {str(p.relative_to(map_)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(map_.rglob("*")) if p.is_file()}


def _geweigerd(r: subprocess.CompletedProcess, *stukken: str) -> None:
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr and "meld dit als issue" not in r.stderr, r.stderr
    assert "Er is niets geschreven of verwijderd" in r.stderr, r.stderr
    assert all(s in r.stderr for s in stukken), r.stderr


@pytest.fixture
def vreemd(tmp_path) -> Path:
    """A folder of somebody's own documents."""
    m = tmp_path / "documenten"
    (m / "sub").mkdir(parents=True)
    (m / "report.docx").write_bytes(b"PK\x03\x04 een verslag")
    (m / "sub" / "thesis.tex").write_text("\\documentclass{article}", encoding="utf-8")
    return m


def test_build_naar_de_invoer_zelf_wordt_geweigerd(raw):
    voor = _inhoud(raw)
    _geweigerd(_cli("data", "build", "--raw", raw, "--out", raw), "is de invoer")
    assert _inhoud(raw) == voor
    assert not list(raw.parent.glob(".raw.*"))  # no temporary folder left behind


def test_build_naar_de_map_boven_de_invoer_wordt_geweigerd(tmp_path):
    ouder = tmp_path / "project"
    ruw = ouder / "ruw"
    shutil.copytree(FIXTURES / "raw", ruw)
    voor = _inhoud(ouder)
    _geweigerd(_cli("data", "build", "--raw", ruw, "--out", ouder), "bevat de invoer", str(ruw))
    assert _inhoud(ouder) == voor


def test_build_naar_een_map_met_vreemde_bestanden_wordt_geweigerd(raw, vreemd):
    voor = _inhoud(vreemd)
    _geweigerd(_cli("data", "build", "--raw", raw, "--out", vreemd), "niet zelf schreef", str(vreemd))
    assert _inhoud(vreemd) == voor


def test_build_naar_een_bestand_wordt_geweigerd(raw, vreemd):
    doel = vreemd / "report.docx"
    _geweigerd(_cli("data", "build", "--raw", raw, "--out", doel), "is een bestand, geen map")
    assert doel.read_bytes() == b"PK\x03\x04 een verslag"


def test_build_vervangt_zijn_eigen_eerdere_uitvoer_en_een_lege_map(raw, tmp_path):
    leeg = tmp_path / "leeg"
    leeg.mkdir()
    assert is_verwerkt(bouw(raw, leeg, voortgang=False))
    (leeg / "leerlingen.parquet").unlink()  # the second build replaces the folder whole
    assert is_verwerkt(bouw(raw, leeg, voortgang=False))  # its own earlier build (its manifest)
    assert (leeg / "leerlingen.parquet").is_file()
    assert sorted(p.name for p in leeg.parent.iterdir()) == ["leeg", "raw"]  # no .oud or .bouw folder left


def test_een_vreemd_bestand_dat_tijdens_het_werk_verschijnt_blijft_staan(tmp_path):
    """The ownership check runs again right before the swap: a file put into the output folder
    while the command worked is not removed."""
    out = tmp_path / "site"
    out.mkdir()
    vrije_uitvoermap(out, "render --all")  # empty: accepted
    (out / "notities.txt").write_text("van mij", encoding="utf-8")
    tmp = tmp_path / ".site.tmp"
    tmp.mkdir()
    with pytest.raises(UitvoerFout, match="niet zelf schreef"):
        wissel_in(tmp, out, "render --all")
    assert (out / "notities.txt").read_text(encoding="utf-8") == "van mij"


def test_het_merk_hoort_bij_een_opdracht(tmp_path):
    """A folder written by one command is no licence for another to replace it."""
    out, tmp = tmp_path / "uit", tmp_path / ".uit.tmp"
    tmp.mkdir()
    (tmp / "cellen.csv").write_text("a;b\n", encoding="utf-8")
    wissel_in(tmp, out, "export --csv")
    assert (out / UITVOERMERK).is_file()
    vrije_uitvoermap(out, "export --csv")
    with pytest.raises(UitvoerFout):
        vrije_uitvoermap(out, "render --all")
    with pytest.raises(UitvoerFout):
        vrije_uitvoermap(out, "data build")


def test_render_all_weigert_vreemde_map_en_de_datamap(vreemd, raw):
    voor = _inhoud(vreemd)
    _geweigerd(_cli("render", "--data", raw, "--all", "--out", vreemd), "niet zelf schreef")
    assert _inhoud(vreemd) == voor
    voor = _inhoud(raw)
    _geweigerd(_cli("render", "--data", raw, "--all", "--out", raw), "de invoer")
    assert _inhoud(raw) == voor


def test_export_csv_weigert_vreemde_map_en_vervangt_zijn_eigen(vreemd, raw, tmp_path):
    voor = _inhoud(vreemd)
    _geweigerd(_cli("export", "--data", raw, "--csv", vreemd), "--csv", "niet zelf schreef")
    assert _inhoud(vreemd) == voor
    _geweigerd(_cli("export", "--data", raw, "--csv", raw), "--csv", "is de invoer")
    uit = tmp_path / "csv"
    for _ in range(2):  # the second run replaces the first run's own folder
        r = _cli("export", "--data", raw, "--csv", uit)
        assert r.returncode == 0, r.stderr
    assert "cellen.csv" in {p.name for p in uit.iterdir()}


def test_bestandsuitvoer_weigert_map_verkeerde_soort_en_plek_in_de_invoer(raw, vreemd):
    _geweigerd(_cli("render", "--data", raw, "--regio", "1", "--pdf", vreemd), "--pdf", "is een map, geen bestand")
    _geweigerd(_cli("export", "--data", raw, "--xlsx", vreemd / "report.docx"), "--xlsx", "extensie .xlsx")
    assert (vreemd / "report.docx").read_bytes() == b"PK\x03\x04 een verslag"
    voor = _inhoud(raw)
    _geweigerd(_cli("export", "--data", raw, "--xlsx", raw / "cijfers.xlsx"), "ligt in de invoer")
    assert _inhoud(raw) == voor


def test_demo_en_reproduce_weigeren_vreemde_mappen(vreemd):
    from regioportret.store import pakketmap
    from regioportret.views.reproduce import reproduceer

    voor = _inhoud(vreemd)
    _geweigerd(_cli("data", "demo", "--out", vreemd), "niet zelf schreef")
    assert _inhoud(vreemd) == voor
    with pytest.raises(UitvoerFout, match="niet zelf schreef"):
        reproduceer(vreemd)
    notebooks = pakketmap("notebooks")
    voor = _inhoud(notebooks)
    with pytest.raises(UitvoerFout, match="is de invoer"):
        reproduceer(notebooks)
    assert _inhoud(notebooks) == voor and _inhoud(vreemd) != {}
