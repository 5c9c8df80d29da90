"""The embedded demo data: reproducible from its seed, complete, small, clearly fictional."""

from __future__ import annotations

import filecmp
import json

from hulp import DEMO
from regioportret.context import actieve_indeling, portretten
from regioportret.demo import SEED, schrijf_demo


def test_demo_is_reproduceerbaar_en_actueel(tmp_path):
    out = schrijf_demo(tmp_path / "demo", seed=SEED)
    a = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    b = sorted(p.relative_to(DEMO) for p in DEMO.rglob("*") if p.is_file())
    assert a == b
    verschil = [str(p) for p in a if not filecmp.cmp(out / p, DEMO / p, shallow=False)]
    assert not verschil, f"data/demo is not what `make demo` generates: {verschil}"


def test_demo_klein_en_gemarkeerd():
    grootte = sum(p.stat().st_size for p in DEMO.rglob("*") if p.is_file())
    assert grootte <= 5 * 1024 * 1024
    assert json.loads((DEMO / "regioportret-demo.json").read_text())["regioportret_demo"] is True


def test_demo_inhoud(demo_ds):
    assert demo_ds.is_demo
    assert demo_ds.jaren == list(range(2015, 2025))
    assert demo_ds.manifest["jaren"]["examens"] == list(range(2014, 2024))
    assert demo_ds.leerlingen["onderdrukt"].any()  # newer layout suppresses <5
    lagen = {b["layout"] for b in demo_ds.manifest["bronnen"]}
    assert {"duo-leerlingen-brin", "duo-leerlingen-instellingscode", "duo-examenkandidaten-brin",
            "duo-examenkandidaten-instellingscode", "duo-resultaten-brin", "duo-resultaten-instellingscode",
            "duo-vestigingen-brin", "scholen-punten", "geonames-pc4", "grenzen-gemeente",
            "grenzen-arbeidsmarktregio", "regio-indeling"} <= lagen
    assert not demo_ds.manifest["zonder_locatie"]
    assert set(demo_ds.locaties["bron"]) == {"punt", "pc4"}


def test_demo_regios_laten_de_regels_zien(demo_ds):
    ind = actieve_indeling(demo_ds)
    assert ind.soort == "data" and "demo" in ind.label
    ps = portretten(demo_ds, ind)
    assert len(ps) == 12
    assert any(p.techniekarm() for p in ps) and not all(p.techniekarm() for p in ps)
    assert any(not p.twee_scholen_regel() for p in ps)
    # vestigingen outside every region exist (schools that have not joined)
    assert set(demo_ds.vestigingen["vestigingscode"]) - set(ind.tabel["vestigingscode"])
