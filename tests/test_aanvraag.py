"""The application form: every participating vestiging prefilled from the data, invalid input
rejected with Dutch messages, exports that carry what was filled in."""

from __future__ import annotations

import dataclasses
import html
import io
import json

import pandas as pd
import pytest
from pypdf import PdfReader

from regioportret import rules
from regioportret.errors import SelectieFout
from regioportret.format import euro, getal
from regioportret.model.aanvraag import maak_aanvraag, valideer
from regioportret.views.aanvraag import (
    Aanvraagpagina,
    Formulier,
    aanvraag_json,
    aanvraag_pdf,
    aanvraag_xlsx,
    feiten_html,
    kies_regio,
)


@pytest.fixture(scope="module")
def aanvraag(demo_ctx):
    return maak_aanvraag(demo_ctx.selectie([12]))


def _ingevuld(a, **anders):
    goed = dict(contactpersoon="Jan Jansen", email="j.jansen@school.nl", telefoon="058 123 4567",
                penvoerder=a.mogelijke_penvoerders()[0], mbo_partners=["Friesland College"],
                bedrijven=["Installatiebedrijf De Vries"], toelichting="")
    return dataclasses.replace(a, **{**goed, **anders})


def test_alle_deelnemende_vestigingen_vooraf_ingevuld(demo_ctx, aanvraag):
    """Deelnemend = vmbo students in leerjaar 3-4 at the teldatum: checked on the raw table."""
    ds, ind = demo_ctx.ds, demo_ctx.indeling
    ll = ds.leerlingen
    lj34 = ll[(ll["jaar"] == demo_ctx.jaar) & ll["leerweg"].notna() & ll["leerjaar"].isin([3, 4])
              & ((ll["aantal"] > 0) | ll["onderdrukt"])]
    in_regio = set(ind.tabel.loc[ind.tabel["regionummer"] == 12, "vestigingscode"])
    assert aanvraag.codes == sorted(in_regio & set(lj34["vestigingscode"]))
    for v in aanvraag.vestigingen:
        eigen = lj34[lj34["vestigingscode"] == v.vestigingscode]
        assert sum(v.leerlingen.values()) == int(eigen["aantal"].sum())
        assert v.techniek_totaal == int(eigen[eigen["profiel"].isin(["BWI", "PIE", "MTR", "MTE", "MVI"])]["aantal"].sum())
        adres = ds.vestigingen.set_index("vestigingscode").loc[v.vestigingscode]
        assert v.postcode == adres["postcode"] and v.naam == adres["vestigingsnaam"]
    s = demo_ctx.selectie([12])
    assert aanvraag.budget_leerlingen == s.kern.budget_leerlingen
    assert aanvraag.onder_drempel == s.kern.techniekarm and aanvraag.arbeidsmarktregios[0]["code"] == "AM91"
    assert [j["jaar"] for j in aanvraag.prognose["jaren"]] == [aanvraag.prognose["laatste_jaar"] + h
                                                              for h in (1, 2, 3, 4, 5)]


def test_geldig_formulier_heeft_geen_fouten(aanvraag):
    assert valideer(_ingevuld(aanvraag)) == []


@pytest.mark.parametrize("veld, waarde, melding", [
    ("contactpersoon", " ", "naam van de contactpersoon"),
    ("email", "jan@school", "geen geldig e-mailadres"),
    ("email", "", "Vul een e-mailadres in"),
    ("telefoon", "bel mij", "geen telefoonnummer"),
    ("penvoerder", "", "Kies de penvoerder"),
    ("penvoerder", "99ZZ00", "doet niet mee"),
    ("mbo_partners", [], "mbo-instelling"),
    ("bedrijven", [], "bedrijf"),
])
def test_ongeldige_invoer_geweigerd(aanvraag, veld, waarde, melding):
    fouten = valideer(_ingevuld(aanvraag, **{veld: waarde}))
    assert [v for v, _ in fouten] == [veld] and melding in fouten[0][1]


def test_penvoerder_zonder_techniek_en_toelichting_bij_een_technische_school(demo_ctx):
    enkel = next(s for s in demo_ctx.regio_selecties() if not s.kern.twee_scholen_regel and not s.kern.techniekarm
                 and s.kern.vestigingen > s.kern.vestigingen_met_techniek)
    a = maak_aanvraag(enkel)
    zonder = next(c for c in a.codes if c not in a.mogelijke_penvoerders())
    fouten = dict(valideer(_ingevuld(a, penvoerder=zonder)))
    assert "geen technisch profiel" in fouten["penvoerder"]
    assert "licht in een paar zinnen toe" in fouten["toelichting"]
    assert "toelichting" not in dict(valideer(_ingevuld(a, toelichting="Wij werken samen met twee vmbo-scholen.")))


def test_exports_bevatten_wat_is_ingevuld(aanvraag):
    a = _ingevuld(aanvraag)
    d = json.loads(aanvraag_json(a))
    assert d["contactpersoon"] == "Jan Jansen" and [v["vestigingscode"] for v in d["vestigingen"]] == a.codes
    bladen = pd.read_excel(io.BytesIO(aanvraag_xlsx(a)), sheet_name=None)
    assert set(bladen) == {"Aanvraag", "Vestigingen", "Bronnen"}
    assert list(bladen["Vestigingen"]["vestigingscode"]) == a.codes
    assert "j.jansen@school.nl" in set(bladen["Aanvraag"]["waarde"])
    tekst = "\n".join(pg.extract_text() for pg in PdfReader(io.BytesIO(aanvraag_pdf(a))).pages)
    assert "Jan Jansen" in tekst and all(c in tekst for c in a.codes)


def test_formulier_weigert_en_exporteert(aanvraag):
    f = Formulier(aanvraag, aanvraag.mogelijke_penvoerders()[0])
    f.velden["email"].value = "geen-adres"
    assert f.knoppen["json"].maak() is None
    assert "Nog niet compleet" in f.melding.value and "E-mail" in f.melding.value
    for k, v in dict(contactpersoon="Jan", email="jan@school.nl", mbo_partners="ROC A\n\nROC B",
                     bedrijven="Bouwbedrijf X").items():
        f.velden[k].value = v
    naam, mime, inhoud = f.knoppen["json"].maak()
    assert "compleet" in f.melding.value and (naam, mime) == (f"aanvraag-sto-regio-{aanvraag.regionummer}.json",
                                                               "application/json")
    assert json.loads(inhoud)["contactpersoon"] == "Jan"
    assert f.lees().mbo_partners == ["ROC A", "ROC B"]


def test_regio_van_de_pagina(demo_ctx):
    rij = demo_ctx.indeling.tabel.iloc[0]
    assert kies_regio(demo_ctx, rij["vestigingscode"], str(rij["regionummer"])) == rij["regionummer"]
    assert kies_regio(demo_ctx, None, "12") == 12
    with pytest.raises(SelectieFout, match="hoort bij regio"):
        kies_regio(demo_ctx, rij["vestigingscode"], "53" if rij["regionummer"] != 53 else "12")
    with pytest.raises(SelectieFout, match="één regio"):
        kies_regio(demo_ctx, None, "12,14")
    with pytest.raises(SelectieFout, match="Kies een school"):
        kies_regio(demo_ctx, None, None)


def test_formulier_leest_het_adres_een_keer(monkeypatch, demo_ctx):
    """In a preheated kernel every read of the query string waits for the page's request: a
    second read hangs the page (it did, with one read per parameter)."""
    from regioportret.views import aanvraag, notebook

    code = demo_ctx.selectie([12]).codes[0]
    gelezen = []

    def adres():
        gelezen.append(1)
        assert len(gelezen) == 1, "het adres is twee keer gelezen"
        return f"vestiging={code}&regio=12"

    monkeypatch.setattr(notebook, "query_string", adres)
    monkeypatch.setattr(aanvraag, "_display", lambda *a: None)
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: None)
    f = aanvraag.toon_formulier()
    assert f is not None and f.formulier.basis.regionummer == 12 and gelezen == [1]


def _verwachte_budgetregel(a, ronde: str) -> list[str]:
    """What the budget line must say, from the round's parameters and the vestigingen's own
    counts (not from model.regels)."""
    r = rules.RONDES[ronde]
    lo, hi = r.arm_budget_eur
    if a.onder_drempel:
        return [f"{r.arm_term.capitalize()}e regio", euro(hi)] + ([euro(lo)] if lo else ["hoogstens"])
    telt = sum(n for v in a.vestigingen for per in v.techniek.values() for lw, n in per.items()
               if lw in r.budget_leerwegen)
    if r.bedrag_per_leerling is None:
        return [f"{getal(telt)} leerlingen", "geen bedrag per leerling", "bijlage 3"]
    indicatie = sum(r.bedrag_per_leerling[lw] * n for v in a.vestigingen for per in v.techniek.values()
                    for lw, n in per.items() if lw in r.budget_leerwegen)
    return [f"{getal(telt)} leerlingen", f"Indicatie per jaar: {euro(indicatie)}"]


@pytest.mark.parametrize("ronde", ["2025-2028", "2020-2023"])
@pytest.mark.parametrize("regionummer", [12, 21])  # demo: 21 is below the threshold in both rounds, 12 in neither
def test_budgetregel_en_woorden_per_ronde_en_oordeel(demo_ctx, ronde, regionummer):
    """The form page, its Excel and its PDF state the chosen round's budget line and call a region
    below the threshold by that round's word (they all said 'techniekarm: eigen budget' before)."""
    pagina = Aanvraagpagina(demo_ctx, regionummer, ronde)
    a = _ingevuld(pagina.formulier.basis)
    assert a.ronde == ronde and a.onder_drempel is (regionummer == 21)
    term, ander = rules.RONDES[ronde].arm_term, next(r.arm_term for n, r in rules.RONDES.items() if n != ronde)
    label = f"{term.capitalize()} (regeling {ronde})"
    blad = pd.read_excel(io.BytesIO(aanvraag_xlsx(a)), sheet_name="Aanvraag")
    excel = dict(zip(blad["onderdeel"], blad["waarde"], strict=True))
    pdf = " ".join(" ".join(pg.extract_text().split()) for pg in PdfReader(io.BytesIO(aanvraag_pdf(a))).pages)
    for oppervlak in (pagina.feiten.value, "\n".join(f"{k}: {v}" for k, v in excel.items()), pdf):
        assert "eigen budget" not in oppervlak and rules.RONDES[ronde].regeling in oppervlak
        assert label in oppervlak and ander not in oppervlak.lower()
    for stuk in _verwachte_budgetregel(a, ronde):
        assert stuk in excel["Budget"] and stuk in pagina.feiten.value and stuk in pdf, (stuk, excel["Budget"])
    assert excel[label] == ("ja" if a.onder_drempel else "nee")


def test_andere_ronde_kiezen_houdt_het_ingevulde(demo_ctx):
    """Switching the round redraws the facts and the penvoerder choice (in a region below the
    threshold every school may be penvoerder) and keeps what was typed; the address follows."""
    pagina = Aanvraagpagina(demo_ctx, 21, "2025-2028")
    f = pagina.formulier
    f.velden["contactpersoon"].value = "Jan Jansen"
    f.velden["penvoerder"].value = f.basis.mogelijke_penvoerders()[0]
    assert pagina.adres.waarde == ""  # the round in force: no parameter
    pagina.keuze.value = "2020-2023"
    assert f.basis.ronde == "2020-2023" and "Techniekarm (regeling 2020-2023)" in pagina.feiten.value
    assert pagina.adres.waarde == "2020-2023" and f.velden["contactpersoon"].value == "Jan Jansen"
    assert f.velden["penvoerder"].value in f.basis.mogelijke_penvoerders()
    assert [v for _, v in f.velden["penvoerder"].options][1:] == f.basis.mogelijke_penvoerders()


def test_onbekende_ronde_in_het_adres(monkeypatch):
    from regioportret.views import aanvraag, notebook

    getoond = []
    monkeypatch.setattr(notebook, "query_string", lambda: "regio=12&ronde=2030")
    monkeypatch.setattr(aanvraag, "_display", getoond.append)
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: None)
    assert aanvraag.toon_formulier() is None and "Onbekende regeling '2030'" in html.unescape(getoond[-1])


def test_excel_van_het_formulier_heeft_getallen(aanvraag):
    """The form's Excel keeps counts, the share and amounts as numbers with a number format (they
    were text: '342', '18,5%'), so a reviewer can add them up."""
    import openpyxl

    a = _ingevuld(aanvraag)
    blad = openpyxl.load_workbook(io.BytesIO(aanvraag_xlsx(a)))["Aanvraag"]
    cellen = {r[0].value: r[1] for r in blad.iter_rows(min_row=2)}
    assert cellen["In technische profielen"].value == a.techniek and cellen["In technische profielen"].number_format == "#,##0"
    assert cellen["Techniekaandeel"].value == pytest.approx(a.techniekaandeel)
    assert cellen["Techniekaandeel"].number_format == "0.0%"
    for lw, n in a.leerlingen.items():
        assert cellen[f"Leerlingen {lw} leerjaar 3-4"].value == n
    assert cellen["Contactpersoon"].data_type == "s" and cellen["Budget"].data_type == "s"


def test_pdf_houdt_regels_van_het_formulier(aanvraag):
    """Mbo partners and companies typed one per line stay one per line in the PDF (they came out
    as one line)."""
    a = _ingevuld(aanvraag, mbo_partners=["ROC Friesland College", "Firda"], bedrijven=["Bouwbedrijf X", "Installateur Y"])
    regels = [r.strip() for pg in PdfReader(io.BytesIO(aanvraag_pdf(a))).pages for r in pg.extract_text().splitlines()]
    for naam in ("ROC Friesland College", "Firda", "Bouwbedrijf X", "Installateur Y"):
        assert any(r == naam or r.endswith(" " + naam) for r in regels), (naam, regels[:20])
    assert not any("College Firda" in r or "X Installateur" in r for r in regels)


def test_pdf_zonder_aanwijzingen_van_de_pagina(aanvraag):
    """The PDF is what the region hands in: the page's instructions (what to fill in below, that
    the browser tab keeps it, 'the Excel download') are the page's, not the document's."""
    from hulp import pdf_tekst

    a = _ingevuld(aanvraag)
    tekst = pdf_tekst(aanvraag_pdf(a))
    assert "Uit de officiële data, volgens de" in tekst and "het Excel-bestand van deze aanvraag" in tekst
    assert not any(x in tekst for x in ("vul hieronder", "tabblad", "Excel-download", "de server bewaart"))
    pagina = feiten_html(a)
    assert "vul hieronder aan" in pagina and "tabblad van uw browser" in pagina
