"""The STO rules on hand-made regions: budget count and indication, penvoerder, composition,
the arbeidsmarktregio link; each result carries its explanation."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from hulp import FIXTURES
from regioportret import rules
from regioportret.model import Indeling
from regioportret.model.portret import Portret
from regioportret.model.regels import (
    arbeidsmarktregios,
    budget_indicatie_eur,
    budget_leerlingen,
    penvoerders,
    regels,
)


def _portret(rijen, koppeling=None, definitie="alle_vmbo") -> Portret:
    """rijen: (vestigingscode, leerweg, profiel or None, aantal)."""
    t = pd.DataFrame([(v, lw, "profiel" if p else "geen", p, n, 0) for v, lw, p, n in rijen],
                     columns=["vestigingscode", "leerweg", "categorie", "profiel", "aantal", "onderdrukt"])
    t["vestigingsnaam"], t["plaatsnaam"], t["regionummer"] = "x", "y", 1
    ind = Indeling(pd.DataFrame({"regionummer": [1], "regionaam": ["R"], "vestigingscode": [t["vestigingscode"][0]]}),
                   "bestand", "testindeling", "t")
    return Portret(2019, [{"regionummer": 1, "regionaam": "R"}], ind, rules.DEFINITIES[definitie], t,
                   arbeidsmarkt=koppeling)


def _uit(p, naam):
    return next(r for r in regels(p) if r.regel == naam)


def test_budget_telt_alleen_techniek_in_bb_kb_gl_en_gl_half():
    p = _portret([("10AA00", "BB", "PIE", 40), ("10AA00", "KB", "BWI", 30), ("10AA01", "GL", "MVI", 20),
                  ("10AA01", "TL", None, 100), ("10AA01", "KB", "ZWE", 60)])
    assert budget_leerlingen(p) == 90  # TL and Z&W do not count
    # the 2020-2023 round's own amounts per student (BB/KB 3,078, GL 1,539), not earlier STO payments
    assert budget_indicatie_eur(p) == pytest.approx(3_078 * (40 + 30) + 1_539 * 20)
    r = _uit(p, "budget")
    assert r.uitkomst == 90 and "indicatie per jaar" in r.toelichting.lower()
    assert "€ 3.078" in r.toelichting and "€ 1.539" in r.toelichting and "Regeling 2020-2023" in r.toelichting
    assert "€ 335.500.000" in r.toelichting  # what the round allows in total


def test_ronde_2025_kent_geen_bedrag_per_leerling_en_noemt_bijlage_3():
    p = _portret([("10AA00", "BB", "PIE", 40), ("10AA01", "GL", "MVI", 20), ("10AA01", "KB", "ZWE", 60)],
                 definitie="beroepsgericht")
    assert budget_leerlingen(p) == 60 and budget_indicatie_eur(p) is None
    t = _uit(p, "budget").toelichting
    assert "bijlage 3" in t and "€ 4.000.000" in t and "€ 368.640.080" in t and "Regeling 2025-2028" in t


def test_beide_oordelen_waar_de_noemers_verschillen():
    # 12 technical of 100 BB/KB/GL students (12%), plus 40 TL: 12/140 = 8.6% with TL in the denominator
    rijen = [("10AA00", "BB", "PIE", 12), ("10AA00", "KB", "ZWE", 88), ("10AA01", "TL", None, 40)]
    nieuw, oud = _portret(rijen, definitie="beroepsgericht"), _portret(rijen, definitie="alle_vmbo")
    assert nieuw.techniekarm() is False and oud.techniekarm() is True
    assert nieuw.per_ronde() == oud.per_ronde() == {
        "2020-2023": {"definitie": "alle_vmbo", "techniekaandeel": round(12 / 140, 6), "techniekarm": True},
        "2025-2028": {"definitie": "beroepsgericht", "techniekaandeel": 0.12, "techniekarm": False}}
    t = _uit(nieuw, "techniekarm").toelichting
    assert t.startswith("Regeling 2025-2028") and "volgens de regeling 2020-2023" in t and "wel techniekarm" in t
    assert "volgens de regeling 2025-2028" in _uit(oud, "techniekarm").toelichting
    # agreeing verdicts: no second verdict
    eens = _portret([("10AA00", "BB", "PIE", 50), ("10AA01", "TL", None, 10)], definitie="beroepsgericht")
    assert "Let op" not in _uit(eens, "techniekarm").toelichting


def test_techniekarm_heeft_eigen_budget_en_iedereen_mag_penvoerder_zijn():
    p = _portret([("10AA00", "BB", "PIE", 5), ("10AA01", "TL", None, 95)])
    assert p.techniekarm() is True
    assert budget_indicatie_eur(p) is None and budget_leerlingen(p) == 5
    assert "600.000" in _uit(p, "budget").toelichting and "4.000.000" in _uit(p, "budget").toelichting
    assert penvoerders(p) == ["10AA00", "10AA01"]


def test_een_technische_school_en_geen_techniek():
    een = _portret([("10AA00", "BB", "PIE", 30), ("10AA01", "KB", "ZWE", 70)])
    assert _uit(een, "samenwerking").uitkomst is False and "afwijken kan" in _uit(een, "samenwerking").toelichting
    assert penvoerders(een) == ["10AA00"]
    geen = _portret([("10AA00", "KB", "ZWE", 50)])
    assert geen.techniekarm() is True and budget_leerlingen(geen) == 0
    assert _uit(geen, "samenwerking").uitkomst is False and _uit(geen, "penvoerder").uitkomst == 1


def test_arbeidsmarktregios_gewogen_naar_leerlingen():
    k = pd.DataFrame({"vestigingscode": ["10AA00", "10AA01"], "arbeidsmarktregiocode": ["AM01", "AM02"],
                      "arbeidsmarktregionaam": ["Een", "Twee"]})
    p = _portret([("10AA00", "BB", "PIE", 30), ("10AA01", "KB", "ZWE", 90)], k)
    assert arbeidsmarktregios(p, k) == [{"code": "AM02", "naam": "Twee", "gewicht": 0.75, "leerlingen": 90},
                                        {"code": "AM01", "naam": "Een", "gewicht": 0.25, "leerlingen": 30}]
    assert arbeidsmarktregios(p, None) == []


def test_cli_json_heeft_de_regelsleutels():
    r = subprocess.run([sys.executable, "-m", "regioportret.cli", "portret", "--data", str(FIXTURES / "raw"),
                        "--indeling", str(FIXTURES / "indeling.csv"), "--regio", "12", "--jaar", "2019", "--json"],
                       capture_output=True, text=True, check=True, timeout=300)
    d = json.loads(r.stdout)
    assert d["arbeidsmarktregios"] == [{"code": "AM14", "naam": "Regio Zwolle", "gewicht": 1.0,
                                        "leerlingen": sum(d["leerlingen"].values())}]
    assert d["budget_leerlingen"] == d["profielen"]["PIE"] + d["profielen"]["BWI"] + d["profielen"]["MTE"]
    assert {x["regel"] for x in d["regels"]} == {"techniekarm", "samenwerking", "een_regio_per_vestiging",
                                                  "penvoerder", "budget"}
    assert all(set(x) == {"regel", "uitkomst", "toelichting"} and x["toelichting"] for x in d["regels"])
