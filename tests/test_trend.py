"""The trend of exam candidates: each year's total equals the raw DUO files' total (read here
with the standard library), the 'onbekend' sector is kept, and no change is computed across the
data break where DUO could not place candidates in a sector."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from hulp import DEMO, geheel, lees_csv
from regioportret.context import open_context
from regioportret.model.trend import BREUK_AANDEEL, ONBEKEND

KOLOM = re.compile(r"^EXAMENKANDIDATEN SCHOOLJAAR (\d{4}-\d{4}) - TOTAAL$")


@pytest.fixture(scope="module", params=["demo", "echt"])
def geval(request):
    data = request.getfixturevalue("real_data") if request.param == "echt" else DEMO
    return data, open_context(data)


def _ruwe_totalen(data) -> dict[str, int]:
    """vmbo exam candidates per school year in the raw files; a later publication of the same
    school year replaces an earlier one (the files overlap by a year at most)."""
    totaal: dict[str, int] = {}
    for pad in sorted((data / "duo").glob("examenkandidaten-en-geslaagden-*.csv")):
        try:
            rijen = lees_csv(pad, "utf-8")
        except UnicodeDecodeError:
            rijen = lees_csv(pad, "latin-1")
        dit = Counter()
        for r in rijen:
            if not r["ONDERWIJSTYPE VO"].upper().startswith("VMBO"):
                continue
            for k, w in r.items():
                m = KOLOM.match(k or "")
                if m:
                    dit[m[1]] += geheel(w)
        totaal.update(dit)
    return totaal


def test_totaal_per_jaar_gelijk_aan_het_ruwe_bestand(geval):
    data, ctx = geval
    t = ctx.selectie().trend.examens
    ruw = _ruwe_totalen(data)
    assert ruw and {j: int(t.at[j, "totaal"]) for j in t.index} == {j: ruw[j] for j in t.index}
    sectoren = [k for k in t.columns if k not in ("totaal", "onderdrukt")]
    assert ONBEKEND in sectoren or (t["totaal"] == t[sectoren].sum(axis=1)).all()
    assert (t["totaal"] == t[sectoren].sum(axis=1)).all()


def test_geen_verandering_over_een_databreuk(geval):
    _, ctx = geval
    s = ctx.selectie()
    t, vanaf = s.trend.examens, s.trend.vergelijkbaar_vanaf
    assert vanaf is not None
    na = t.loc[[j for j in t.index if j >= vanaf]]
    onbekend = na[ONBEKEND] if ONBEKEND in na else 0
    assert (onbekend <= BREUK_AANDEEL * na["totaal"]).all()
    assert set(s.trend.techniek_examens) == {int(j[:4]) for j in na.index}
    # when the comparison's change in techniek uses the exam series, it starts at the same year
    v = ctx.vergelijking
    if v.attrs["trend"].startswith("examenkandidaten"):
        eerste, laatste = na["techniek"].iloc[0], na["techniek"].iloc[-1]
        assert v.at[0, "trend"] == pytest.approx(laatste / eerste - 1)
        assert vanaf in v.attrs["trend"]
    else:  # several years of students per profiel: the change is in those, no break involved
        ll = s.trend.leerlingen
        assert v.at[0, "trend"] == pytest.approx(ll["techniek"].iloc[-1] / ll["techniek"].iloc[0] - 1)


def test_databreuk_op_de_echte_data(real_data):
    """On the real files 2014-2015 to 2017-2018 put ~49,000 candidates a year in no sector."""
    s = open_context(real_data).selectie()
    t = s.trend.examens
    assert s.trend.vergelijkbaar_vanaf == "2018-2019"
    assert t.at["2016-2017", ONBEKEND] > 40_000
    assert s.rangorde.at[0, "trend"] < 0  # techniek fell from 2018-2019 on; +34% was the break


def test_groei_in_de_vergelijking_is_die_van_de_pagina(geval):
    """The comparison's 'groei in 4 jaar' comes from the same forecast the page shows."""
    _, ctx = geval
    for s in ctx.regio_selecties()[:25]:
        nr = s.regios[0]["regionummer"]
        verwacht = s.prognose.groei
        gezien = s.rangorde.at[nr, "prognose_groei"]
        assert (verwacht is None and gezien != gezien) or gezien == pytest.approx(verwacht, abs=1e-12), nr
    land = ctx.selectie()
    assert land.rangorde.at[0, "prognose_groei"] == pytest.approx(land.prognose.groei, abs=1e-12)
