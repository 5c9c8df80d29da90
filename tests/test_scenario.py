"""Scenarios: a profiel stops or starts at a vestiging. The reassignment is checked against an
independent haversine on a hand-made layout; the 'before' column against the selection's bundle;
the figures on the demo and the real data against a recount of the changed table."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from regioportret import rules
from regioportret.errors import DataFout, SelectieFout
from regioportret.model import dekking, scenario
from regioportret.model.portret import Basis
from regioportret.model.regios import Indeling
from regioportret.model.scenario import Wijziging
from regioportret.sources._csv import Geheugenbestand
from regioportret.sources.scenario import lees_scenario


def _haversine(lat1, lon1, lat2, lon2) -> float:
    r = 6371.0088
    f1, f2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((f2 - f1) / 2) ** 2 + math.cos(f1) * math.cos(f2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


# Region 1: A (PIE, ZWE) and B (BWI); region 2: C (PIE, far) and D (PIE, nearer to A than C).
LOCATIES = pd.DataFrame({"vestigingscode": ["10AA00", "11BB00", "12CC00", "13DD00"],
                         "lat": [52.00, 52.02, 52.90, 52.20], "lon": [5.00, 5.05, 6.00, 5.20]})
INDELING = Indeling(pd.DataFrame({"regionummer": [1, 1, 2, 2], "regionaam": ["Een", "Een", "Twee", "Twee"],
                                  "vestigingscode": ["10AA00", "11BB00", "12CC00", "13DD00"]}),
                    "bestand", "testindeling", "test")


def _rij(code, lw, profiel, n, regio, categorie="profiel"):
    return {"vestigingscode": code, "leerweg": lw, "categorie": categorie, "profiel": profiel, "aantal": n,
            "onderdrukt": 0, "vestigingsnaam": f"School {code}", "plaatsnaam": "Ergens", "regionummer": regio}


TABEL = pd.DataFrame([
    _rij("10AA00", "BB", "PIE", 30, 1), _rij("10AA00", "KB", "PIE", 12, 1), _rij("10AA00", "BB", "ZWE", 200, 1),
    _rij("10AA00", "TL", None, 100, 1, "geen"),
    _rij("11BB00", "KB", "BWI", 20, 1), _rij("11BB00", "GL", "ZWE", 150, 1),
    _rij("12CC00", "BB", "PIE", 40, 2), _rij("13DD00", "BB", "PIE", 25, 2), _rij("13DD00", "BB", "ZWE", 60, 2),
]).astype({"regionummer": "Int64"})
BASIS = Basis(2024, TABEL, INDELING, False, ["test.csv"])


def _doorreken(wijzigingen, **kw):
    return scenario.doorreken(BASIS, LOCATIES, None, wijzigingen, **kw)


def test_leerlingen_van_een_gestopt_profiel_naar_de_dichtstbijzijnde_die_het_nog_heeft():
    stop = (Wijziging("10AA00", "PIE", "stopt"),)
    aanbod = dekking.aanbod_van(TABEL)
    tabel, verplaatst = scenario.verplaats(TABEL, LOCATIES, stop, aanbod, {"10AA00": 1, "11BB00": 1, "12CC00": 2,
                                                                            "13DD00": 2})
    loc = LOCATIES.set_index("vestigingscode")
    afstand = {c: _haversine(52.00, 5.00, loc.at[c, "lat"], loc.at[c, "lon"]) for c in ("12CC00", "13DD00")}
    doel = min(afstand, key=afstand.get)
    assert doel == "13DD00"
    assert verplaatst == ({"vestigingscode": "10AA00", "profiel": "PIE", "leerlingen": 42, "onderdrukt": 0,
                           "naar": doel, "naar_regio": 2, "km": round(afstand[doel], 1)},)
    pie = tabel[tabel["profiel"] == "PIE"].groupby(["vestigingscode", "leerweg"])["aantal"].sum().to_dict()
    # same leerweg at the receiving vestiging; nothing left at A; nothing lost
    assert pie == {("12CC00", "BB"): 40, ("13DD00", "BB"): 25 + 30, ("13DD00", "KB"): 12}
    assert tabel["aantal"].sum() == TABEL["aantal"].sum()
    assert set(tabel.loc[tabel["vestigingscode"] == "13DD00", "regionummer"]) == {2}


def test_regio_cijfers_voor_en_na_en_techniekarm_wisselt():
    u = _doorreken([Wijziging("10AA00", "PIE", "stopt")], regios=[1])
    assert u.voor.techniek == 42 + 20 and u.na.techniek == 20
    # 2025-2028: BB/KB/GL in the denominator; 2020-2023: TL too
    assert u.voor.per_ronde["2025-2028"]["techniekaandeel"] == round(62 / 412, 6)
    assert u.na.per_ronde["2025-2028"]["techniekaandeel"] == round(20 / 370, 6)
    assert u.voor.per_ronde["2025-2028"]["techniekarm"] is False and u.na.per_ronde["2025-2028"]["techniekarm"] is True
    assert u.na.per_ronde["2020-2023"]["techniekaandeel"] == round(20 / 470, 6)
    assert u.voor.budget_leerlingen == 62 and u.na.budget_leerlingen == 20
    assert u.na.vestigingen_met_techniek == 1
    # the receiving region gains them
    u2 = _doorreken([Wijziging("10AA00", "PIE", "stopt")], regios=[2])
    assert u2.na.techniek - u2.voor.techniek == 42


def test_start_verkort_de_afstand_en_heeft_nog_geen_leerlingen():
    pc4 = pd.DataFrame({"pc4": ["1000", "1001"], "lat": [52.03, 52.88], "lon": [5.06, 5.98]})
    jong = pd.DataFrame({"pc4": ["1000", "1001"], "inwoners": [100, 50]})
    aanbod = dekking.aanbod_van(TABEL)
    t, weg = dekking.basis(pc4, jong, LOCATIES, aanbod)
    d = {"tabel": t, "aanbod": aanbod, "weggelaten": weg, "bronnen": []}
    u = scenario.doorreken(BASIS, LOCATIES, d, [Wijziging("11BB00", "PIE", "start")], regios=[1])
    assert u.voor == u.na or u.voor.techniek == u.na.techniek  # no students move
    voor = {x["profiel"]: x for x in u.dekking_voor}["PIE"]
    na = {x["profiel"]: x for x in u.dekking_na}["PIE"]
    # PC4 1000 (nearest vestiging B, region 1): before to A, after to B itself
    assert voor["mediaan_km"] == round(_haversine(52.03, 5.06, 52.00, 5.00), 1)
    assert na["mediaan_km"] == round(_haversine(52.03, 5.06, 52.02, 5.05), 1)
    assert na["aanbieders"] == voor["aanbieders"] + 1
    # an unchanged profiel keeps its figures
    assert {x["profiel"]: x for x in u.dekking_na}["BWI"] == {x["profiel"]: x for x in u.dekking_voor}["BWI"]


@pytest.mark.parametrize("wijziging, melding", [
    (Wijziging("11BB00", "PIE", "stopt"), "geen leerlingen in PIE"),
    (Wijziging("10AA00", "PIE", "start"), "biedt PIE al aan"),
    (Wijziging("99ZZ00", "PIE", "start"), "zit niet in de data"),
    (Wijziging("10AA00", "ZWE", "stopt"), "geen technisch profiel"),
    (Wijziging("10AA00", "PIE", "misschien"), "Onbekende wijziging"),
])
def test_onmogelijke_wijziging_zegt_waarom(wijziging, melding):
    with pytest.raises(SelectieFout, match=melding):
        _doorreken([wijziging], regios=[1])


def test_scenario_csv_heen_en_terug_en_fouten_met_regel_en_kolom():
    w = (Wijziging("10AA00", "PIE", "stopt"), Wijziging("11BB00", "MTR", "start"))
    tekst = scenario.scenario_csv(w)
    assert tekst.splitlines() == ["vestigingscode;profiel;wijziging", "10AA00;PIE;stopt", "11BB00;M&T;start"]
    assert scenario.van_tabel(lees_scenario(Geheugenbestand("s.csv", tekst.encode()))) == w
    fout = b"vestigingscode;profiel;wijziging\n10AA00;PIE;stopt\n10AA0;Zorg;weg\n"
    with pytest.raises(DataFout) as e:
        lees_scenario(Geheugenbestand("s.csv", fout))
    tekst = str(e.value)
    assert "s.csv" in tekst and "regel 3" in tekst and "vestigingscode" in tekst and "'weg'" in tekst
    assert "regel 2" not in tekst


def test_voor_is_de_bundel_en_som_blijft_gelijk_demo(demo_ctx):
    ctx = demo_ctx
    aanbod = dekking.aanbod_van(ctx.basis.tabel)
    nr = int(ctx.indeling.regios.regionummer.iloc[0])
    codes = set(ctx.indeling.tabel.loc[ctx.indeling.tabel.regionummer == nr, "vestigingscode"])
    profiel = next(p for p in aanbod if set(aanbod[p]) & codes)
    code = sorted(set(aanbod[profiel]) & codes)[0]
    u = ctx.scenario([Wijziging(code, profiel, "stopt")], regios=[nr])
    assert u.voor == ctx.selectie(regios=[nr]).kern
    landelijk = ctx.scenario([Wijziging(code, profiel, "stopt")])
    assert landelijk.voor.techniek == landelijk.na.techniek  # moved, not lost
    # recount the changed students by hand from the raw table
    t = ctx.basis.tabel
    weg = int(t.loc[(t.vestigingscode == code) & (t.profiel == profiel), "aantal"].sum())
    v = u.verplaatst[0]
    assert v["leerlingen"] == weg
    in_regio = v["naar"] in codes
    assert u.voor.techniek - u.na.techniek == (0 if in_regio else weg)


def test_bouwer_scenario_toevoegen_weigeren_opslaan_laden(demo_ctx):
    from regioportret.views.bouwer import Regiobouwer

    b = Regiobouwer(demo_ctx)
    nr = int(demo_ctx.indeling.regios.regionummer.iloc[0])
    b.begin.value = str(nr)
    aanbod = dekking.aanbod_van(demo_ctx.basis.tabel)
    code, profiel = next((c, p) for p in aanbod for c in aanbod[p] if c in b.gekozen)
    assert code in [o[1] for o in b.sc_vestiging.options]
    b.voeg_toe(code, profiel, "stopt")
    assert f'data-code="{code}"' in b.sc_html.value and "data-rij=\"techniekarm_2025-2028\"" in b.sc_html.value
    u = demo_ctx.scenario(b.wijzigingen, vestigingen=sorted(b.gekozen), nummer=b.nummer.value, naam=b.naam.value)
    rij = re.search(r'data-rij="techniek"><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>', b.sc_html.value)
    from regioportret.format import getal
    assert rij.groups() == (getal(u.voor.techniek), getal(u.na.techniek))
    # a change the data refutes: message, scenario unchanged
    b.voeg_toe(code, profiel, "start")
    assert "biedt" in b.sc_melding.value and len(b.wijzigingen) == 1
    naam, _, inhoud = b.sc_opslaan.maak()
    assert naam == "scenario.csv" and inhoud.decode("utf-8") == scenario.scenario_csv(b.wijzigingen)
    b.zet_scenario([])
    assert b.sc_opslaan.maak() is None and "nog geen wijzigingen" in b.download.value
    assert "Nog geen wijzigingen" in b.sc_html.value
    b._scenario_laden("s.csv", scenario.scenario_csv(u.wijzigingen).encode())
    assert b.wijzigingen == list(u.wijzigingen)


def test_cli_portret_met_scenario(demo_ctx, tmp_path, capsys):
    import json

    from hulp import DEMO
    from regioportret import cli

    aanbod = dekking.aanbod_van(demo_ctx.basis.tabel)
    nr = int(demo_ctx.indeling.regios.regionummer.iloc[1])
    codes = set(demo_ctx.indeling.tabel.loc[demo_ctx.indeling.tabel.regionummer == nr, "vestigingscode"])
    code, profiel = next((c, p) for p in aanbod for c in sorted(codes) if c in aanbod[p])
    pad = tmp_path / "s.csv"
    pad.write_text(scenario.scenario_csv([Wijziging(code, profiel, "stopt")]), encoding="utf-8")
    assert cli.main(["portret", "--data", str(DEMO), "--regio", str(nr), "--scenario", str(pad), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["scenario"]["voor"]["techniek"] == d["techniek"]  # 'before' is the portrait itself
    u = demo_ctx.scenario([Wijziging(code, profiel, "stopt")], regios=[nr])
    assert d["scenario"]["na"]["techniek"] == u.na.techniek
    assert cli.main(["portret", "--data", str(DEMO), "--regio", str(nr), "--scenario", str(pad)]) == 0
    assert f"Scenario: {code} {rules.PROFIEL_AFKORTING[profiel]} stopt" in capsys.readouterr().out
    assert cli.main(["portret", "--data", str(DEMO), "--regio", str(nr), "--scenario", str(tmp_path / "weg.csv")]) == 1
    fout = capsys.readouterr().err
    assert "weg.csv" in fout and "Traceback" not in fout


def test_echte_data_scenario_afstand_en_tellingen(real_data):
    """On the real data: stopping an offer never shortens a distance, moves every student it had
    (checked against the raw table) and keeps the national total; restarting it restores the figures."""
    from regioportret.context import open_context

    ctx = open_context(real_data)
    aanbod = ctx.dekking["aanbod"]
    nr = int(ctx.indeling.regios.regionummer.iloc[len(ctx.indeling.regios) // 2])
    codes = set(ctx.indeling.tabel.loc[ctx.indeling.tabel.regionummer == nr, "vestigingscode"])
    code = sorted(set(aanbod["PIE"]) & codes)[0]
    stop = [Wijziging(code, "PIE", "stopt")]
    u = ctx.scenario(stop, regios=[nr])
    assert u.voor == ctx.selectie(regios=[nr]).kern
    voor = {d["profiel"]: d for d in u.dekking_voor}["PIE"]
    na = {d["profiel"]: d for d in u.dekking_na}["PIE"]
    assert na["mediaan_km"] >= voor["mediaan_km"] and na["p90_km"] >= voor["p90_km"]
    assert na["binnen"]["10"] <= voor["binnen"]["10"] and na["aanbieders"] == voor["aanbieders"] - 1
    t = ctx.basis.tabel
    assert u.verplaatst[0]["leerlingen"] == int(t.loc[(t.vestigingscode == code) & (t.profiel == "PIE"), "aantal"].sum())
    land = ctx.scenario(stop)
    assert land.na.techniek == land.voor.techniek
    print(f"regio {nr}: {code} stopt PIE: mediaan {voor['mediaan_km']} -> {na['mediaan_km']} km, binnen 10 km "
          f"{voor['binnen']['10']:.1%} -> {na['binnen']['10']:.1%}")
