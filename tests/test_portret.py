"""The portrait model on hand-made data: figures, rules, definitions, the CLI contract."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

import regioportret as rp
from hulp import FIXTURES, geheel, lees_csv
from regioportret import rules
from regioportret.context import actieve_indeling, portret, portretten
from regioportret.model import Indeling
from regioportret.model.portret import Portret
from regioportret.model.selectie import Kerncijfers

LL19 = FIXTURES / "raw" / "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2019.csv"


@pytest.fixture(scope="module")
def ds():
    return rp.laad(FIXTURES / "raw")


@pytest.fixture(scope="module")
def indeling(ds):
    return actieve_indeling(ds, FIXTURES / "indeling.csv")


def _onafhankelijk(pad, encoding, vestigingen=None):
    """Leerjaar 3-4 counts per leerweg and profiel straight from the raw file."""
    lw = {"BL": "BB", "KL": "KB", "GL": "GL", "TL": "TL"}
    labels = {naam.lower(): code for code, naam in rules.PROFIELEN.items()}
    per_lw, per_prof = dict.fromkeys(rules.LEERWEGEN, 0), dict.fromkeys(rules.PROFIELEN, 0)
    for r in lees_csv(pad, encoding):
        code = r.get("BRIN NUMMER", r.get("INSTELLINGSCODE")) + r.get("VESTIGINGSNUMMER", "")[-2:]
        ot = r["ONDERWIJSTYPE VO EN LEER- OF VERBLIJFSJAAR"]
        if not (ot.startswith("VMBO") and ot.endswith("lj 3-4")) or (vestigingen and code not in vestigingen):
            continue
        n = sum(geheel(r[f"LEER- OF VERBLIJFSJAAR {lj} - {g}"]) for lj in (3, 4) for g in ("MAN", "VROUW"))
        per_lw[lw[ot.split()[1]]] += n
        p = labels.get(r["AFDELING"].lower())
        if p:
            per_prof[p] += n
    return per_lw, per_prof


def test_landelijk_gelijk_aan_onafhankelijke_telling(ds, indeling):
    p = portret(ds, indeling, jaar=2019)
    per_lw, per_prof = _onafhankelijk(LL19, "cp1252")
    assert p.leerlingen() == per_lw
    assert p.profielen() == per_prof
    tech = sum(per_prof[c] for c in rules.TECHNISCHE_PROFIELEN)
    assert p.techniek() == tech
    # default round 2025-2028: the denominator is BB, KB and GL; 2020-2023 also counts TL
    assert p.definitie.ronde == "2025-2028"
    assert p.techniekaandeel() == pytest.approx(tech / sum(n for lw, n in per_lw.items() if lw != "TL"))
    assert p.per_ronde()["2020-2023"]["techniekaandeel"] == pytest.approx(tech / sum(per_lw.values()), abs=1e-6)
    assert p.routes() == 5


def test_regio_en_unie(ds, indeling):
    p12 = portret(ds, indeling, [12], jaar=2019)
    per_lw, per_prof = _onafhankelijk(LL19, "cp1252", {"99AA00", "99AA01"})
    assert p12.leerlingen() == per_lw and p12.profielen() == per_prof
    assert p12.vestigingen() == 2 and p12.vestigingen_met_techniek() == 2 and p12.twee_scholen_regel()
    assert p12.instellingen_met_techniek() == 1
    p14 = portret(ds, indeling, [14], jaar=2019)
    assert p14.vestigingen() == 0 and p14.techniekaandeel() is None and p14.techniekarm() is None
    beide = portret(ds, indeling, [12, 14], jaar=2019)
    assert beide.leerlingen() == p12.leerlingen()
    assert [r["regionummer"] for r in beide.regios] == [12, 14]


def test_onderdrukte_cellen_geteld_niet_geraden(ds, indeling):
    p = portret(ds, indeling, [12], jaar=2023)  # newer layout with <5
    assert p.onderdrukt() == 5
    per_lw, _ = _onafhankelijk(FIXTURES / "raw" / "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2023.csv", "utf-8")
    assert p.leerlingen() == per_lw
    assert p.vestigingen_met_techniek() == 2  # 99AA01 only has MVI with a suppressed cell, still counts


def test_laatste_jaar_is_standaard(ds, indeling):
    assert portret(ds, indeling).jaar == 2023
    assert portret(ds, indeling).teldatum == "2023-10-01"


def _kunstmatig(tech: int, overig: int, tl: int = 0, vestigingen_tech: int = 1) -> Portret:
    """A portrait over hand-made rows (for edge cases of the rules)."""
    rijen = []
    for i in range(vestigingen_tech):
        rijen.append((f"10AA{i:02d}", "BB", "profiel", "PIE", tech // vestigingen_tech + (tech % vestigingen_tech if i == 0 else 0), 0))
    rijen.append(("10AA90", "KB", "profiel", "ZWE", overig, 0))
    if tl:
        rijen.append(("10AA91", "TL", "geen", None, tl, 0))
    t = pd.DataFrame(rijen, columns=["vestigingscode", "leerweg", "categorie", "profiel", "aantal", "onderdrukt"])
    t = t[t["aantal"] > 0]
    t["vestigingsnaam"], t["plaatsnaam"], t["regionummer"] = "x", "y", 1
    ind = Indeling(pd.DataFrame({"regionummer": [1], "regionaam": ["R"], "vestigingscode": ["10AA00"]}), "bestand", "t", "t")
    return Portret(2019, [{"regionummer": 1, "regionaam": "R"}], ind, rules.DEFINITIES["alle_vmbo"], t)


@pytest.mark.parametrize("tech,overig,arm", [(10, 90, False), (9, 91, True), (11, 89, False), (0, 50, True)])
def test_techniekarm_drempel_precies_tien_procent(tech, overig, arm):
    p = _kunstmatig(tech, overig)
    assert p.techniekarm() is arm


def test_definities_noemer(ds, indeling):
    alle = portret(ds, indeling, [12], jaar=2019, definitie="alle_vmbo")
    ber = portret(ds, indeling, [12], jaar=2019, definitie="beroepsgericht")
    lw = alle.leerlingen()
    assert alle.techniekaandeel() == pytest.approx(alle.techniek() / sum(lw.values()))
    assert ber.techniekaandeel() == pytest.approx(alle.techniek() / (lw["BB"] + lw["KB"] + lw["GL"]))
    assert ber.definitie.naam == "beroepsgericht"
    assert alle.definitie.drempel == rules.TECHNIEKARM_DREMPEL


def test_twee_scholen_regel():
    assert not _kunstmatig(30, 70, vestigingen_tech=1).twee_scholen_regel()
    assert _kunstmatig(30, 70, vestigingen_tech=2).twee_scholen_regel()


def test_portretten_gelijk_aan_portret_per_regio(ds, indeling):
    for p in portretten(ds, indeling, jaar=2019):
        los = portret(ds, indeling, [p.regios[0]["regionummer"]], jaar=2019)
        assert Kerncijfers.van(p) == Kerncijfers.van(los) and p.regios == los.regios


def test_cli_contract_json(ds):
    r = subprocess.run([sys.executable, "-m", "regioportret.cli", "portret", "--data", str(FIXTURES / "raw"),
                        "--indeling", str(FIXTURES / "indeling.csv"), "--regio", "12", "--jaar", "2019", "--json"],
                       capture_output=True, text=True, check=True, timeout=300)
    d = json.loads(r.stdout)
    for k in ("teldatum", "regios", "vestigingen", "vestigingen_met_techniek", "leerlingen", "profielen", "techniek",
              "techniekaandeel", "onder_drempel", "drempelterm", "ronde", "onderdrukt"):
        assert k in d
    # the verdict under a round-neutral key, the round's own word beside it
    assert "techniekarm" not in d and d["ronde"] == rules.STANDAARD_RONDE
    assert d["drempelterm"] == rules.RONDES[d["ronde"]].arm_term
    assert {r: v["drempelterm"] for r, v in d["per_ronde"].items()} == {r: x.arm_term for r, x in rules.RONDES.items()}
    assert d["teldatum"] == "2019-10-01"
    assert set(d["leerlingen"]) == {"BB", "KB", "GL", "TL"} and set(d["profielen"]) == set(rules.PROFIELEN)
    assert isinstance(d["techniekaandeel"], float) and 0 <= d["techniekaandeel"] <= 1
    per_lw, per_prof = _onafhankelijk(LL19, "cp1252", {"99AA00", "99AA01"})
    assert d["leerlingen"] == per_lw and d["profielen"] == per_prof
    r = subprocess.run([sys.executable, "-m", "regioportret.cli", "regios", "--data", str(FIXTURES / "raw"),
                        "--indeling", str(FIXTURES / "indeling.csv"), "--json"], capture_output=True, text=True, check=True, timeout=300)
    lijst = json.loads(r.stdout)
    assert [x["regionummer"] for x in lijst] == [12, 14] and lijst[0]["regionaam"] == "IJssel-Vecht"
    assert all("onder_drempel" in x and "techniekarm" not in x for x in lijst)


def test_voorbeeldindeling_uit_nodaal_gebied(ds):
    ind = actieve_indeling(ds)
    assert ind.soort == "voorbeeld" and "geen officiële STO-indeling" in ind.label
    assert ind.tabel.groupby("regionummer")["vestigingscode"].apply(list).to_dict() == {44: ["99AA00", "99AA01"], 45: ["99BB00"]}
