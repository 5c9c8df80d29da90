"""The CLI's text output of every command, checked against its own --json (the same bundle):
`portret`, `regios` and `prognose`, under both regulation rounds. A text that drifts from the
figures, or a command that crashes without --json (regios did), fails here."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from regioportret import rules
from regioportret.format import aandeel, euro, getal, prognosepunt

DEMO_REGIO = "21"  # below the threshold in both rounds in the demo data


def _cli(*args: str) -> str:
    r = subprocess.run([sys.executable, "-m", "regioportret.cli", *args], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "onverwachte fout" not in r.stderr
    return r.stdout


@pytest.mark.parametrize("definitie", list(rules.DEFINITIES))
def test_portret_als_tekst_en_json(definitie):
    d = json.loads(_cli("portret", "--regio", DEMO_REGIO, "--definitie", definitie, "--json"))
    tekst = _cli("portret", "--regio", DEMO_REGIO, "--definitie", definitie)
    ronde = rules.RONDES[rules.DEFINITIES[definitie].ronde]
    regels = tekst.splitlines()
    assert regels[0] == "DEMODATA - fictieve scholen"
    assert regels[1].startswith(f"Regioportret: Regio {DEMO_REGIO} – ")
    for lw, n in d["leerlingen"].items():
        assert f"Leerlingen {lw} lj 3-4: {getal(n)}" in regels
    assert f"In technische profielen: {getal(d['techniek'])}" in regels
    assert f"Techniekaandeel: {aandeel(d['techniekaandeel'])}" in regels
    assert f"{ronde.arm_term.capitalize()} (regeling {ronde.naam}): ja" in regels
    assert f"Van {getal(d['aantal_vestigingen'])} deelnemende vestigingen met techniek: " \
           f"{getal(d['vestigingen_met_techniek'])}" in regels
    ander = next(r for n, r in rules.RONDES.items() if n != ronde.naam)
    oneens = d["per_ronde"][ander.naam]["onder_drempel"] != d["onder_drempel"]
    # the other round's verdict, as on the page: only where the rounds disagree
    assert any(r.startswith(f"{ander.arm_term.capitalize()} (regeling {ander.naam}: ") for r in regels) == oneens
    budget = next(r["toelichting"] for r in d["regels"] if r["regel"] == "budget")
    assert f"Leerlingen voor het budget: {getal(d['budget_leerlingen'])}. {budget}" in regels
    assert f"{ronde.arm_term.capitalize()}e regio" in budget
    assert euro(ronde.arm_budget_eur[1]) in budget
    for r in d["prognose"]["reeksen"].values():
        if r["label"] in tekst:
            assert (f"Prognose {r['label']}: " + "; ".join(
                f"{x['jaar']}: {prognosepunt(x['punt'], x['onder'], x['boven'])}" for x in r["prognose"])) in regels
    assert sum(r.startswith("Prognose ") for r in regels) >= 2  # the main series and the technical one

def test_regios_als_tekst_en_json():
    lijst = json.loads(_cli("regios", "--json"))
    tekst = _cli("regios")
    blokken = tekst.strip().split("\n\n")
    assert len(blokken) == len(lijst)
    for blok, d in zip(blokken, lijst, strict=True):
        assert f"Regio {d['regionummer']} – {d['regionaam']}" in blok.splitlines()[1]
        regels = blok.splitlines()
        assert f"In technische profielen: {getal(d['techniek'])}" in regels
        assert f"Techniekaandeel: {aandeel(d['techniekaandeel'])}" in regels
        assert f"{d['drempelterm'].capitalize()} (regeling {d['ronde']}): {'ja' if d['onder_drempel'] else 'nee'}" \
            in regels


def test_prognose_als_tekst_en_json():
    d = json.loads(_cli("prognose", "--regio", DEMO_REGIO, "--horizon", "3", "--json"))
    tekst = _cli("prognose", "--regio", DEMO_REGIO, "--horizon", "3")
    assert f"regio {DEMO_REGIO} " in tekst.splitlines()[0]
    for naam in ("totaal", "techniek"):  # the text gives the main series and the technical one
        r = d["reeksen"][naam]
        assert len(r["prognose"]) == 3
        assert f"{r['label']}: " + "; ".join(f"{x['jaar']} {prognosepunt(x['punt'], x['onder'], x['boven'])}"
                                             for x in r["prognose"]) in tekst.splitlines()
