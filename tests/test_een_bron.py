"""One source of truth: for several selections, every figure a user copies into an application
(technical students, students per leerweg, the deelnemende vestigingen, the budget count, each
forecast point and its band) reads the same in the bundle's JSON (`portret --json`), the A4
PDF, the static-site page, the application form and the dashboard panels.

Which surfaces a selection has: one region has all five; two regions have the JSON, the PDF and
the dashboard (the site and the form are per region); a region composed in the builder has its
bundle's JSON, the builder's panel and the PDF of that bundle. On the demo data always, on the
real DUO files when REGIOPORTRET_REAL_DATA is set.
"""

from __future__ import annotations

import io
import json
import re

import pytest

from hulp import DEMO, aaneen, pdf_tekst
from regioportret import cli
from regioportret.context import open_context
from regioportret.format import getal, prognosepunt
from regioportret.model.aanvraag import maak_aanvraag
from regioportret.views.aanvraag import _kerncijfers, aanvraag_json, aanvraag_pdf
from regioportret.views.bouwer import Regiobouwer
from regioportret.views.dashboard import Dashboard
from regioportret.views.pdf import portret_pdf
from regioportret.views.site import regio_pagina
from regioportret.views.weergave import portret_tekst

LEERWEGEN = ("BB", "KB", "GL", "TL")
# (one region, two regions, the builder: this region plus a few vestigingen of that one)
SELECTIES = {"demo": (12, [12, 14], (12, 14)), "echt": (18, [18, 8], (18, 8))}


@pytest.fixture(scope="module", params=["demo", "echt"])
def geval(request):
    if request.param == "echt":
        data = request.getfixturevalue("real_data")
    else:
        data = DEMO
    ctx = open_context(data)
    return request.param, data, ctx, Dashboard(ctx)


def _json(data, regios) -> dict:
    """What a reviewer gets from the command line."""
    import contextlib

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert cli.main(["portret", "--data", str(data), "--regio", ",".join(map(str, regios)), "--json"]) == 0
    return json.loads(buf.getvalue())


def _verwacht(d: dict) -> dict:
    """The figures as every surface must print them, from the JSON."""
    prog = d["prognose"] or {"reeksen": {}}
    return {
        "techniek": getal(d["techniek"]),
        **{f"leerlingen_{lw}": getal(d["leerlingen"][lw]) for lw in LEERWEGEN},
        "vestigingen": getal(d["aantal_vestigingen"]),
        "codes": sorted(v["vestigingscode"] for v in d["vestigingen"]),
        "budget": getal(d["budget_leerlingen"]),
        "prognose": {(naam, x["jaar"]): prognosepunt(x["punt"], x["onder"], x["boven"])
                     for naam, r in prog["reeksen"].items() for x in r["prognose"]},
    }


# -- reading each surface -------------------------------------------------------------------------
def _uit_html(h: str) -> dict:
    """The dashboard panels and the site share their templates: the same anchors."""
    kaarten = dict(re.findall(r'data-figuur="(\w+)"><div class="rp-getal">([^<]*)</div>', h))
    budget = re.search(r'<tr data-regel="budget"><td>[^<]*</td><td>([^<]*)</td>', h)
    prognose = {}
    for naam, rij in re.findall(r'<tr data-reeks="(\w+)">(.*?)</tr>', h, re.S):
        for jaar, cel in re.findall(r'<td data-jaar="(\d+)">([^<]*)</td>', rij):
            prognose[(naam, int(jaar))] = cel
    kop = re.search(r"Deelnemende vestigingen \(leerjaar 3-4\): ([\d.]+)", h)
    return {
        "techniek": kaarten.get("techniek"), **{f"leerlingen_{lw}": kaarten.get(f"leerlingen_{lw}") for lw in LEERWEGEN},
        "vestigingen": kop and kop[1], "codes": sorted(set(re.findall(r'data-vestiging="(\w+)"', h))),
        "budget": budget and budget[1], "prognose": prognose,
    }


def _pdf_tekst(inhoud: bytes) -> str:
    return pdf_tekst(inhoud)


def _controleer_pdf(tekst: str, v: dict, d: dict) -> None:
    """The PDF's text (white space dropped: cells wrap) holds every figure as the page words it."""
    t = aaneen(tekst)
    for lw in LEERWEGEN:
        assert aaneen(f"{v[f'leerlingen_{lw}']} leerlingen {lw} lj 3-4") in t, lw
    assert aaneen(f"{v['techniek']} in technische profielen") in t
    assert aaneen(f"Leerlingen voor het budget {v['budget']}") in t
    assert aaneen(f"Deelnemende vestigingen (leerjaar 3-4): {v['vestigingen']}") in t
    assert all(c in tekst for c in v["codes"])
    prog = d["prognose"]
    for naam in ([prog and next(iter(prog["reeksen"]))] if prog else []):
        r = prog["reeksen"][naam]
        rij = r["label"] + "".join(v["prognose"][(naam, x["jaar"])] for x in r["prognose"])
        assert aaneen(rij) in t, rij


def _controleer_html(gezien: dict, v: dict, surface: str) -> None:
    for k in ("techniek", *[f"leerlingen_{lw}" for lw in LEERWEGEN], "vestigingen", "codes", "budget"):
        assert gezien[k] == v[k], f"{surface}: {k} {gezien[k]!r} != {v[k]!r}"
    assert gezien["prognose"], f"{surface}: no forecast table"
    for sleutel, tekst in gezien["prognose"].items():
        assert tekst == v["prognose"][sleutel], f"{surface}: prognose {sleutel} {tekst!r} != {v['prognose'][sleutel]!r}"


def _controleer_formulier(ctx, d: dict, v: dict) -> None:
    a = maak_aanvraag(ctx.selectie(d["regios"][0]["regionummer"]))
    f = json.loads(aanvraag_json(a))
    assert [x["vestigingscode"] for x in f["vestigingen"]] == v["codes"]
    assert f["techniek"] == d["techniek"] and f["leerlingen"] == d["leerlingen"]
    assert f["budget_leerlingen"] == d["budget_leerlingen"]
    hoofd = next(iter(d["prognose"]["reeksen"].values()))["prognose"]
    assert f["prognose"]["jaren"] == [{k: x[k] for k in ("jaar", "punt", "onder", "boven")} for x in hoofd]
    pagina = dict(_kerncijfers(a))  # what the form page and its PDF print
    assert pagina["Deelnemende vestigingen"] == v["vestigingen"] and pagina["Leerlingen voor het budget"] == v["budget"]
    assert pagina["In technische profielen"] == v["techniek"]
    assert all(pagina[f"Leerlingen {lw} leerjaar 3-4"] == v[f"leerlingen_{lw}"] for lw in LEERWEGEN)
    naam = next(iter(d["prognose"]["reeksen"]))
    for x in hoofd:
        assert f"{x['jaar']}: {v['prognose'][(naam, x['jaar'])]}" in next(w for k, w in pagina.items()
                                                                        if k.startswith("Prognose"))
    tekst = _pdf_tekst(aanvraag_pdf(a))
    assert f"Leerlingen voor het budget {v['budget']}" in tekst and all(c in tekst for c in v["codes"])
    assert aaneen(f"Deelnemende vestigingen ({v['vestigingen']})") in aaneen(tekst)


def _controleer_tekst(tekst: str, v: dict, d: dict) -> None:
    """The CLI's text prints the figures in the page's words."""
    regels = tekst.splitlines()
    for lw in LEERWEGEN:
        assert f"Leerlingen {lw} lj 3-4: {v[f'leerlingen_{lw}']}" in regels, lw
    assert f"In technische profielen: {v['techniek']}" in regels
    assert any(r.startswith(f"Leerlingen voor het budget: {v['budget']}. ") for r in regels)
    naam = next(iter(d["prognose"]["reeksen"]))
    r = d["prognose"]["reeksen"][naam]
    assert f"Prognose {r['label']}: " + "; ".join(f"{x['jaar']}: {v['prognose'][(naam, x['jaar'])]}"
                                                  for x in r["prognose"]) in regels


# -- the tests --------------------------------------------------------------------------------------
def test_een_regio_overal_gelijk(geval):
    soort, data, ctx, dash = geval
    nr = SELECTIES[soort][0]
    d = _json(data, [nr])
    v = _verwacht(d)
    assert v["codes"] and v["prognose"]
    dash.kies([nr])
    _controleer_html(_uit_html("".join(p.value for p in dash.panelen.values())), v, "dashboard")
    html, s = regio_pagina(ctx, nr, "kaart.png")
    _controleer_html(_uit_html(html), v, "site")
    _controleer_pdf(_pdf_tekst(portret_pdf(s, ctx.kaartlagen, ctx.scholen)), v, d)
    _controleer_tekst(portret_tekst(s), v, d)
    _controleer_formulier(ctx, d, v)
    dash.kies([])


def test_twee_regios_overal_gelijk(geval):
    soort, data, ctx, dash = geval
    regios = SELECTIES[soort][1]
    d = _json(data, regios)
    v = _verwacht(d)
    dash.kies(regios)
    _controleer_html(_uit_html("".join(p.value for p in dash.panelen.values())), v, "dashboard")
    _controleer_pdf(_pdf_tekst(portret_pdf(ctx.selectie(regios), ctx.kaartlagen, ctx.scholen)), v, d)
    # the union is the sum of its regions' bundles, vestiging by vestiging
    delen = [_json(data, [nr]) for nr in regios]
    assert d["techniek"] == sum(x["techniek"] for x in delen)
    assert v["codes"] == sorted(c for x in delen for c in _verwacht(x)["codes"])
    dash.kies([])


def test_samengestelde_regio_overal_gelijk(geval):
    soort, data, ctx, dash = geval
    hier, daar = SELECTIES[soort][2]
    codes = ctx.selectie([hier]).codes + ctx.selectie([daar]).codes[:2]
    b = Regiobouwer(ctx)
    b.nummer.value, b.naam.value = 900, "Proefregio"
    b.zet(set(codes))
    s = ctx.selectie(vestigingen=codes, nummer=900, naam="Proefregio")
    d = s.als_dict()
    v = _verwacht(d)
    assert v["codes"] == sorted(codes)
    gezien = _uit_html(b.portret_html.value)
    for k in ("techniek", *[f"leerlingen_{lw}" for lw in LEERWEGEN], "budget"):
        assert gezien[k] == v[k], f"builder: {k}"
    hoofd = d["prognose"]["reeksen"][s.prognose.hoofdreeks]["prognose"]
    vier = next(x for x in hoofd if x["h"] == 4)
    assert f"→ {getal(vier['punt'])} in {vier['jaar']}" in b.portret_html.value
    assert f"band {getal(vier['onder'])}–{getal(vier['boven'])}" in b.portret_html.value
    _controleer_pdf(_pdf_tekst(portret_pdf(s, ctx.kaartlagen, ctx.scholen)), v, d)


def test_band_omvat_elk_punt(geval):
    """No surface can print a forecast point outside its own band: the bundle never holds one.
    Where the country's backtest has too few errors (one series) its band comes from the region
    level, and the bundle names that level."""
    _, _, ctx, _ = geval
    regios = ctx.regio_selecties()[:20]
    for s in [ctx.selectie(), *regios]:
        for r in [*s.prognose.reeksen.values(), *s.prognose.leerlingen.values()]:
            for x in r.prognose:
                assert (x.onder is None) == (x.boven is None), (s.titel, r.naam, x)
                assert x.onder is None or x.onder <= x.punt <= x.boven, (s.titel, r.naam, x)
            assert (r.band_niveau is None) == all(x.onder is None for x in r.prognose), (s.titel, r.naam)
    assert all(x.onder is not None for s in regios for x in s.prognose.reeksen[s.prognose.hoofdreeks].prognose)
    assert all(s.prognose.reeksen[s.prognose.hoofdreeks].band_niveau == "regio" for s in regios)
    land = ctx.selectie().prognose
    assert land.niveau == "landelijk"
    assert land.reeksen[land.hoofdreeks].band_niveau in ("landelijk", "regio")


def test_een_definitie_van_deelnemende_vestigingen(geval):
    """Dashboard, form, prognose and JSON count the same vestigingen: those with vmbo students
    in leerjaar 3-4; the indeling's others are listed as not counted, never silently."""
    soort, _, ctx, _ = geval
    nr = SELECTIES[soort][0]
    s = ctx.selectie([nr])
    assert s.kern.vestigingen == len(s.vestigingen) == s.prognose.vestigingen
    assert len(maak_aanvraag(s).vestigingen) == len(s.vestigingen)
    in_indeling = set(ctx.indeling.tabel.loc[ctx.indeling.tabel["regionummer"] == nr, "vestigingscode"])
    assert set(s.codes) | set(s.niet_deelnemend) == in_indeling and not set(s.codes) & set(s.niet_deelnemend)


def test_prognosepaneel_in_het_nederlands(geval):
    """The forecast panel speaks Dutch: no field names, no 'nan' or 'None', and it says plainly
    when what is shown is the last value rather than the method."""
    import html as htmllib

    from regioportret.views import panelen

    soort, _, ctx, _ = geval
    for s in (ctx.selectie(), ctx.selectie(SELECTIES[soort][0])):
        tekst = htmllib.unescape(re.sub(r"<[^>]+>", " ", panelen.prognose(s, "prognose.ipynb")))
        for woord in ("ratio_best_baseline", "mape", "MAPE", "nan", "None", "laatste_waarde", "lineaire_trend"):
            assert not re.search(rf"\b{woord}\b", tekst), (s.titel, woord)
        if s.prognose.toont != "model":
            assert "de laatste bekende waarde (een basislijn), geen methode" in tekst
        hoofd = s.prognose.reeksen[s.prognose.hoofdreeks]
        if hoofd.band_niveau not in (None, s.prognose.niveau):
            assert f"De band van {hoofd.label} komt van het niveau {hoofd.band_niveau}" in tekst
