"""The dashboard and form page without a browser: selection logic, messages, popup content."""

from __future__ import annotations

import logging
import re

import pytest

from hulp import FIXTURES
from regioportret.format import getal
from regioportret.views.dashboard import Dashboard, open_dashboard


@pytest.fixture(scope="module")
def dash(demo_ctx):
    return Dashboard(demo_ctx)


def test_kiezen_wisselen_en_een_update_per_bulkactie(dash, demo_ctx):
    tellingen = []
    origineel = dash._bijwerken
    dash._bijwerken = lambda zoom=True: (tellingen.append(1), origineel(zoom))
    try:
        dash.kies(dash.regiolijst.nummers)  # "alles aan": 12 regions, one update
        assert len(tellingen) == 1 and dash.gekozen == sorted(dash.regiolijst.nummers)
        dash.kies([])
        dash.wissel(12)
        assert dash.gekozen == [12] and len(tellingen) == 3
    finally:
        dash._bijwerken = origineel
    verwacht = demo_ctx.ds.leerlingen
    verwacht = verwacht[(verwacht["jaar"] == demo_ctx.jaar) & verwacht["leerjaar"].isin([3, 4])
                        & verwacht["profiel"].isin(["BWI", "PIE", "MTR", "MTE", "MVI"])
                        & verwacht["vestigingscode"].isin(demo_ctx.indeling.tabel.query("regionummer == 12")
                                                          ["vestigingscode"])]
    assert f'<div class="rp-getal">{getal(int(verwacht["aantal"].sum()))}</div>' in dash.panelen["kern"].value
    assert "Regio 12 – Friesland" in dash.panelen["kern"].value
    regels = dash.panelen["regels"].value
    budget = int(verwacht.loc[verwacht["leerweg"] != "TL", "aantal"].sum())
    assert "Leerlingen voor het budget" in regels and f"<td>{getal(budget)}</td>" in regels
    assert "Arbeidsmarktregio" in regels and "(demo)" in regels
    assert [f["properties"]["regionummer"] for f in dash.laag_selectie.data["features"]] == [12]
    assert dash.laatste_update_s is not None and dash.laatste_update_s < 5
    dash.kies([])


def test_regiolijst_en_deeplink(dash):
    """The column lists every region as the page shows it (the filter works in the page: the
    browser tests); a page click sends the whole state, and the kernel follows it."""
    assert dash.regiolijst.regios[:2] == [[3, "Groningen-Ommelanden"], [7, "Drenthe"]]
    assert len(dash.regiolijst.regios) == 12
    dash.regiolijst.gekozen = [12, 14]  # as a click in the page sets it
    assert dash.gekozen == [12, 14] and dash.adres.waarde == "12,14"
    dash.kies([99, 12])  # an unknown number is not ticked
    assert dash.gekozen == [12]
    dash.verwerk_verzoek("12,14")
    assert dash.gekozen == [12, 14] and dash.melding.value == ""
    dash.verwerk_verzoek("99")
    assert "Onbekende regio 99" in dash.melding.value and dash.gekozen == [12, 14]
    dash.kies([])


def test_eerste_beeld_licht_tabel_per_regio_op_verzoek(dash, demo_ctx):
    """The country's first view holds no table per region and no list of every school; the
    button shows the table (every region of the indeling), a ticked region hides the button."""
    from ipywidgets import Combobox

    dash.kies([])
    assert dash.panelen["vestigingen"].value == "" and dash.knop_per_regio.layout.display is None
    assert f"({len(demo_ctx.indeling.regios)} regio's)" in dash.knop_per_regio.description
    assert not any(isinstance(x, Combobox) for x in dash.kolom.children)
    dash.toon_per_regio()
    h = dash.panelen["vestigingen"].value
    assert set(map(int, re.findall(r'<tr data-regio="(\d+)">', h))) == set(demo_ctx.indeling.regios["regionummer"])
    assert dash.knop_per_regio.layout.display == "none"
    dash.kies([12])
    assert "rp-per-regio" not in dash.panelen["vestigingen"].value and dash.knop_per_regio.layout.display == "none"
    dash.kies([])
    assert dash.panelen["vestigingen"].value == "" and dash.knop_per_regio.layout.display is None


def test_schoolpopup(dash, demo_ctx):
    t = demo_ctx.basis.tabel
    code = t.loc[t["profiel"] == "PIE", "vestigingscode"].iloc[0]
    h = dash.school_html(code)
    assert f"Vestiging {code}" in h and "PIE" in h and "naar het aanvraagformulier" in h
    assert f"aanvraag.ipynb?vestiging={code}&amp;regio=" in h or f"aanvraag.ipynb?vestiging={code}&regio=" in h
    # a search opens the popup; a search without result closes it and says so
    assert dash.zoek_school(code) == [code] and dash.popup in dash.kaart.layers
    assert dash.zoek_school("geen school heet zo") == [] and dash.popup not in dash.kaart.layers
    assert "Geen school gevonden" in dash.zoek_uitkomst.children[0].value


def test_dashboard_met_slechte_data_toont_melding(tmp_path):
    d = open_dashboard(data=tmp_path / "bestaat-niet")
    assert not isinstance(d, Dashboard) and "de datamap bestaat niet" in d.value


def test_dashboard_op_fixture_zonder_indeling_gebruikt_voorbeeld():
    d = open_dashboard(data=FIXTURES / "raw")
    assert d.ctx.indeling.soort == "voorbeeld" and d.regiolijst.nummers == [44, 45]
    assert "voorbeeldindeling" in d.widget.children[0].value


def test_vragen_en_antwoorden_uit_de_regels(dash):
    from regioportret import rules
    from regioportret.views.qa import qa_html

    h = qa_html()
    assert "<details" in h and "Wat is een techniekarme (techniekluwe) regio?" in h and "Wat telt als bedrijf?" in h
    assert f"minder dan {round(100 * rules.TECHNIEKARM_DREMPEL)}%" in h and "€ 600.000" in h
    assert any("Vragen en antwoorden" in getattr(c, "value", "") for c in dash.widget.children)


def test_een_fout_in_een_klik_wordt_een_melding(dash, monkeypatch):
    """An exception in a callback never reaches the page: it is logged and the visitor reads
    Dutch; the comm layer's own error log goes to the server's stderr, not the page."""
    import logging
    import sys

    from regioportret.views.notebook import stil_naar_de_pagina

    def kapot(*a, **k):
        raise KeyError("geheim/pad/op/de/server.py")

    monkeypatch.setattr(dash, "_bijwerken", kapot)
    dash.regiolijst.gekozen = [12]  # the list's observer runs the (broken) update
    assert "Dit lukte niet" in dash.melding.value and "geheim" not in dash.melding.value
    monkeypatch.undo()
    dash.kies([])
    stil_naar_de_pagina()
    comm = logging.getLogger("Comm")
    assert not comm.propagate and [h.stream for h in comm.handlers] == [sys.__stderr__]


def test_excel_als_de_data_weg_is(tmp_path, caplog):
    """The data removed while the page is open: the Excel button says in Dutch which file is
    gone (not '(TypeError)'), and the server's log gets the details."""
    from regioportret.store import bouw

    verwerkt = bouw(FIXTURES / "raw", tmp_path / "verwerkt", voortgang=False)
    d = open_dashboard(data=verwerkt)
    assert isinstance(d, Dashboard)
    d.kies([44])
    (verwerkt / "leerlingen.parquet").unlink()
    log = logging.getLogger("regioportret")  # a page kernel stops it at the server's log: listen there
    log.addHandler(caplog.handler)
    try:
        assert d.knop_xlsx.maak() is None
    finally:
        log.removeHandler(caplog.handler)
    assert "leerlingen.parquet" in d.download.value and "er niet meer" in d.download.value
    assert "TypeError" not in d.download.value and "Traceback" not in d.download.value
    assert any("download 'Aantallen per vestiging (Excel)' mislukt" in r.getMessage() for r in caplog.records)


def test_voorverwarmde_kernel_probeert_opnieuw_voor_zijn_bezoeker(tmp_path, monkeypatch):
    """A preheated dashboard kernel whose data was away while it waited in the pool opens the
    data again when its visitor arrives: the visitor gets the page, not the stale error."""
    import shutil

    from regioportret.views import dashboard, notebook

    data = tmp_path / "data"  # not there while the kernel is preheated
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setattr(notebook, "_VERZOEK_ONTVANGEN", False)

    def bezoeker_komt(env):  # the data is back by the time the visitor's request arrives
        shutil.copytree(FIXTURES / "raw", data)
        monkeypatch.setenv("QUERY_STRING", "regio=44")  # restored after the test

    monkeypatch.setattr(notebook, "_wacht_op_verzoek", bezoeker_komt)
    monkeypatch.setattr(dashboard, "begin_pagina", lambda: None)
    d = dashboard.toon_dashboard(data=data)
    assert isinstance(d, Dashboard) and d.gekozen == [44]
    # without preheating the error is shown at once (nothing to wait for)
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    d = dashboard.toon_dashboard(data=tmp_path / "weg")
    assert not isinstance(d, Dashboard) and "de datamap bestaat niet" in d.value


def test_regeling_kiezen(demo_ctx):
    """The dashboard offers the regulation round: every panel, the school popups' form link and
    the address bar follow it; ?ronde= in the address opens it; an unknown round gets a message."""
    from regioportret import rules

    d = Dashboard(demo_ctx)
    assert d.ronde.value == rules.STANDAARD_RONDE and d.adres_ronde.waarde == ""
    d.verwerk_verzoek("21", "2020-2023")
    assert d.ronde.value == "2020-2023" and d.adres_ronde.waarde == "2020-2023" and d.gekozen == [21]
    kern = d.panelen["kern"].value
    verwacht = demo_ctx.met_definitie("alle_vmbo").selectie([21]).kern
    assert "techniekarm (regeling 2020-2023)" in kern and verwacht.techniekarm is True
    assert "techniekluw (regeling 2025-2028)" not in kern
    assert rules.RONDES["2020-2023"].regeling.split(" (")[0] in d.panelen["regels"].value
    code = d.landelijk.codes[0]
    assert "ronde=2020-2023" in d.school_html(code)
    d.kleur.value = "aandeel"  # the map's colouring by share follows the round: its share and its word

    def kleur_21():
        return next(f["properties"] for f in d.laag_regios.data["features"] if f["properties"]["regionummer"] == 21)

    assert kleur_21()["techniekarm"] is True and kleur_21()["techniekaandeel"] == pytest.approx(
        verwacht.techniekaandeel, abs=1e-3)
    d.ronde.value = "2025-2028"
    assert "techniekluw (regeling 2025-2028)" in d.panelen["kern"].value and d.adres_ronde.waarde == ""
    assert "ronde=" not in d.school_html(code) and d.gekozen == [21]
    nieuw = demo_ctx.selectie([21]).kern
    assert kleur_21()["techniekluw"] is True and kleur_21()["techniekaandeel"] == pytest.approx(
        nieuw.techniekaandeel, abs=1e-3) and nieuw.techniekaandeel != verwacht.techniekaandeel
    d.verwerk_verzoek(None, "1999")
    assert "Onbekende regeling" in d.melding.value and d.ronde.value == "2025-2028"


def test_downloads_in_een_klik(dash, monkeypatch):
    """A download button makes the file in memory and sends it to the page in one message, with
    its name and type; the browser saves it at once (tests/browser/test_app.py clicks it)."""
    verzonden = []
    monkeypatch.setattr(dash.knop_pdf, "send", lambda inhoud, buffers=None: verzonden.append((inhoud, buffers)))
    dash.kies([12])
    naam, mime, inhoud = dash.knop_pdf.maak()
    assert (naam, mime) == ("regioportret-12.pdf", "application/pdf") and inhoud.startswith(b"%PDF")
    assert verzonden == [({"soort": "bestand", "naam": naam, "mime": mime}, [inhoud])]
    dash.knop_pdf._bericht(dash.knop_pdf, ["vervalst"], [])  # a forged message makes nothing
    assert len(verzonden) == 1
    dash.kies([])
