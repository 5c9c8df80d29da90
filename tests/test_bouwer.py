"""Region builder and comparison: shapes select the right vestigingen, overlap is found, a saved
composition loads back as the indeling, the live portrait follows every change, and the
comparison table equals the portraits."""

from __future__ import annotations

import pytest

from regioportret.context import actieve_indeling, bovenbouw, portret
from regioportret.errors import SelectieFout
from regioportret.format import getal
from regioportret.model.bouwer import afstand_m, binnen_vorm, indeling_csv, overlap, vrij_nummer
from regioportret.model.trend import trend_basis
from regioportret.model.vergelijking import tabel
from regioportret.views.bouwer import Regiobouwer


@pytest.fixture(scope="module")
def bouwer(demo_ctx):
    return Regiobouwer(demo_ctx)


def test_rechthoek_en_cirkel_kiezen_wat_erin_ligt(demo_ds):
    loc = demo_ds.locaties
    midden = loc.iloc[0]
    vierkant = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[
        [midden.lon - 0.2, midden.lat - 0.1], [midden.lon + 0.2, midden.lat - 0.1], [midden.lon + 0.2, midden.lat + 0.1],
        [midden.lon - 0.2, midden.lat + 0.1], [midden.lon - 0.2, midden.lat - 0.1]]]}}
    verwacht = loc[(abs(loc["lon"] - midden.lon) < 0.2) & (abs(loc["lat"] - midden.lat) < 0.1)]
    assert binnen_vorm(loc, vierkant) == sorted(verwacht["vestigingscode"])
    cirkel = {"type": "Feature", "properties": {"style": {"radius": 15_000}},
              "geometry": {"type": "Point", "coordinates": [midden.lon, midden.lat]}}
    dichtbij = [r.vestigingscode for r in loc.itertuples() if afstand_m(midden.lat, midden.lon, r.lat, r.lon) <= 15_000]
    assert binnen_vorm(loc, cirkel) == sorted(dichtbij) and midden.vestigingscode in dichtbij
    with pytest.raises(SelectieFout, match="straal"):
        binnen_vorm(loc, {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [5, 52]}})


def test_overlap_en_opslaan_laden(demo_ds, tmp_path):
    ind = actieve_indeling(demo_ds)
    twaalf = ind.tabel.loc[ind.tabel["regionummer"] == 12, "vestigingscode"].tolist()
    veertien = ind.tabel.loc[ind.tabel["regionummer"] == 14, "vestigingscode"].tolist()
    codes = twaalf + veertien[:1]
    o = overlap(codes, ind, eigen=12)
    assert o["vestigingscode"].tolist() == veertien[:1] and o["regionummer"].tolist() == [14]
    nieuw = vrij_nummer(ind)
    assert nieuw not in set(ind.tabel["regionummer"])
    # this region alone, loaded back as the indeling
    (tmp_path / "een.csv").write_text(indeling_csv(codes, nieuw, "Mijn regio"), encoding="utf-8")
    terug = actieve_indeling(demo_ds, tmp_path / "een.csv")
    assert sorted(terug.tabel["vestigingscode"]) == sorted(codes) and set(terug.tabel["regionummer"]) == {nieuw}
    # the whole indeling with the region put in: the moved vestiging leaves region 14, nothing doubles
    (tmp_path / "heel.csv").write_text(indeling_csv(codes, nieuw, "Mijn regio", ind), encoding="utf-8")
    heel = actieve_indeling(demo_ds, tmp_path / "heel.csv")
    assert sorted(heel.tabel.loc[heel.tabel["regionummer"] == nieuw, "vestigingscode"]) == sorted(codes)
    assert veertien[0] not in set(heel.tabel.loc[heel.tabel["regionummer"] == 14, "vestigingscode"])
    assert 12 not in set(heel.tabel["regionummer"])  # all of 12 moved: the empty region is gone
    assert heel.tabel["vestigingscode"].is_unique
    p = portret(demo_ds, heel, [nieuw])
    # the same vestigingen, the same students: moving them changes no total
    assert portret(demo_ds, ind, None).techniek() == portret(demo_ds, heel, None).techniek()
    oud = portret(demo_ds, ind, [12, 14]).tabel
    assert p.techniek() == oud.loc[oud["vestigingscode"].isin(codes) & oud["profiel"].isin(
        ["BWI", "PIE", "MTR", "MTE", "MVI"]), "aantal"].sum()
    with pytest.raises(SelectieFout, match="nog geen vestigingen"):
        indeling_csv([], 1, "x")


def test_bouwer_volgt_elke_wijziging(bouwer, demo_ctx):
    ind = demo_ctx.indeling
    b = demo_ctx.basis
    bouwer.begin.value = "12"
    twaalf = set(ind.tabel.loc[ind.tabel["regionummer"] == 12, "vestigingscode"])
    assert bouwer.gekozen == twaalf and bouwer.overlap_html.value == ""
    vreemd = ind.tabel.loc[ind.tabel["regionummer"] == 14, "vestigingscode"].iloc[0]
    bouwer.wissel(vreemd)
    assert vreemd in bouwer.gekozen and "regio 14" in bouwer.overlap_html.value
    # the rules table says the same as the warning above it
    assert ('<tr data-regel="een_regio_per_vestiging"><td>Eén regio per vestiging</td><td>nee</td>'
            in bouwer.portret_html.value) and vreemd in bouwer.portret_html.value
    p = b.samenstelling(sorted(bouwer.gekozen), 12, "Friesland")
    from regioportret.format import getal

    assert f"<div class=\"rp-getal\">{getal(p.techniek())}</div>" in bouwer.portret_html.value
    assert "Prognose" in bouwer.portret_html.value and bouwer.laatste_update_s is not None
    bouwer.wissel(vreemd)
    assert bouwer.overlap_html.value == ""
    assert '<td>Eén regio per vestiging</td><td>ja</td>' in bouwer.portret_html.value
    naam, mime, inhoud = bouwer.opslaan_regio.maak()
    assert (naam, mime) == ("regio-indeling-12.csv", "text/csv")
    tekst = inhoud.decode("utf-8")
    bouwer.zet(set())
    bouwer.laad_csv("terug.csv", tekst.encode())
    assert bouwer.gekozen == twaalf and bouwer.nummer.value == 12
    from regioportret.errors import IndelingFout

    with pytest.raises(IndelingFout) as e:  # read from memory, the message still names file, line, column
        bouwer.laad_csv("kapot.csv", b"regionummer;regionaam;vestigingscode\nx;A;90AA00\n")
    assert "kapot.csv" in str(e.value) and "regel 2" in str(e.value) and "regionummer" in str(e.value)


def test_vergelijking_gelijk_aan_portretten(demo_ds):
    from regioportret.context import Context

    ind = actieve_indeling(demo_ds)
    b = Context(demo_ds, ind).basis
    d = tabel(b, ind, trend_basis(bovenbouw(demo_ds), ("BWI", "PIE", "MTR", "MTE", "MVI")), None)
    for p in b.portretten():
        nr = p.regios[0]["regionummer"]
        assert d.at[nr, "techniek"] == p.techniek()
        assert d.at[nr, "techniekaandeel"] == pytest.approx(p.techniekaandeel())
        assert d.at[nr, "aandeel_BWI"] == pytest.approx(p.profielen()["BWI"] / sum(p.leerlingen().values()))
    assert d.at[0, "techniek"] == b.portret().techniek() and d.at[0, "regionaam"] == "Nederland"
    assert d["trend"].notna().all()


def test_dashboard_vergelijking_en_rangorde(demo_ctx):
    from regioportret.views.dashboard import Dashboard

    d = Dashboard(demo_ctx)
    d.kies([12])
    html = d.panelen["vergelijking"].value
    assert "regio 12 Friesland" in html and "mediaan van de regio" in html and "Nederland" in html
    assert 'data-regio="12"' in html and "#e8590c" in html.split('data-regio="12"')[1][:200]
    rang = demo_ctx.vergelijking.drop(index=0)["techniekaandeel"].sort_values(ascending=False)
    eerste = html.index('data-regio="', html.index("rp-rangorde"))
    assert html[eerste:].startswith(f'data-regio="{rang.index[0]}"')
    d.indicator.value = "leerlingen"
    rang = demo_ctx.vergelijking.drop(index=0)["leerlingen"].sort_values(ascending=False)
    html = d.panelen["vergelijking"].value
    eerste = html.index('data-regio="', html.index("rp-rangorde"))
    assert html[eerste:].startswith(f'data-regio="{rang.index[0]}"')


def _csv_uit(bouwer, heel: bool = False) -> str:
    """What the save button sends to the browser (one click: the page downloads it)."""
    bestand = (bouwer.opslaan_heel if heel else bouwer.opslaan_regio).maak()
    assert bestand is not None, bouwer.download.value
    return bestand[2].decode("utf-8")


@pytest.mark.parametrize("bron", ["demo", "echt"])
def test_bouwer_opslaan_en_laden_geeft_dezelfde_vestigingen(bron, request):
    from hulp import DEMO
    from regioportret.context import open_context
    from regioportret.views.bouwer import Regiobouwer

    ctx = open_context(request.getfixturevalue("real_data") if bron == "echt" else DEMO)
    b = Regiobouwer(ctx)
    nr = int(ctx.indeling.regios["regionummer"].iloc[-1])
    b.begin.value = str(nr)
    regio = set(ctx.indeling.tabel.loc[ctx.indeling.tabel["regionummer"] == nr, "vestigingscode"])
    # a region of the indeling may hold vestigingen without students (no dot on the map): they stay
    zonder_stip = regio - set(b.punten)
    s = ctx.selectie(vestigingen=sorted(regio), nummer=nr, naam=ctx.indeling.naam(nr))
    assert b.gekozen == regio
    assert f"<b>{getal(len(regio))} vestigingen gekozen</b>: {getal(len(s.vestigingen))} met" in b.lijst.value
    assert len(s.vestigingen) + len(s.niet_deelnemend) == len(regio)  # every chosen vestiging accounted for
    tekst = _csv_uit(b)
    b.zet(set())
    b.laad_csv("regio.csv", tekst.encode())
    assert b.gekozen == regio and b.nummer.value == nr and "rp-fout" not in b.melding.value
    # edit (drop one dot), save the whole indeling under a new number, wipe, load: the edited region opens
    weg = sorted(regio - zonder_stip)[0]
    b.wissel(weg)
    b.nummer.value = nieuw = int(ctx.indeling.regios["regionummer"].max()) + 1
    tekst = _csv_uit(b, heel=True)
    b.nummer.value = 1
    b.zet(set())
    b.laad_csv("heel.csv", tekst.encode())
    assert b.nummer.value == nieuw and b.gekozen == regio - {weg}
    assert "in het bestand gemarkeerd als bewerkt" in b.melding.value
    if bron == "echt":
        print(f"regio {nr}: {len(regio)} vestigingen, {len(zonder_stip)} zonder stip")


def test_bestandskiezer_leest_wat_past_en_weigert_te_groot(bouwer, demo_ctx):
    """The builder's upload: a file that fits loads; one above the limit is refused with a Dutch
    message (the page says it before sending; the kernel too if a large file arrives anyway)."""
    ind = demo_ctx.indeling
    twaalf = set(ind.tabel.loc[ind.tabel["regionummer"] == 12, "vestigingscode"])
    tekst = "regionummer;regionaam;vestigingscode\n" + "".join(f"12;Friesland;{c}\n" for c in sorted(twaalf))
    bouwer.zet(set())
    bouwer.laden._bericht(bouwer.laden, {"soort": "bestand", "naam": "r.csv"}, [tekst.encode()])
    assert bouwer.gekozen == twaalf and "Geladen uit r.csv" in bouwer.melding.value
    groot = 6 * 1024 * 1024
    bouwer.laden._bericht(bouwer.laden, {"soort": "te_groot", "naam": "groot.csv", "grootte": groot}, [])
    assert "te groot" in bouwer.melding.value and "6,0 MB" in bouwer.melding.value and bouwer.gekozen == twaalf
    bouwer.laden._bericht(bouwer.laden, {"soort": "bestand", "naam": "stiekem.csv"}, [b"x" * (groot)])
    assert "stiekem.csv is te groot" in bouwer.melding.value  # over the limit however it arrives: not read
    # a forged update of the synced limit (as a page may send) does not raise the kernel's limit
    bouwer.laden.max_bytes = 10**9
    bouwer.laden._bericht(bouwer.laden, {"soort": "bestand", "naam": "vervalst.csv"}, [b"x" * int(6.2 * 2**20)])
    assert "vervalst.csv is te groot" in bouwer.melding.value and "5,0 MB" in bouwer.melding.value
    assert bouwer.gekozen == twaalf
    bouwer.laden._bericht(bouwer.laden, ["vervalst"], [])  # a forged message: ignored


def test_een_regionummer_van_zes_cijfers_blijft_heel(bouwer, demo_ctx):
    """A region number of six digits (the largest the readers accept) loads into the number field
    and is saved unchanged; the field used to stop at 9999, so saving wrote another number."""
    ind = demo_ctx.indeling
    twaalf = sorted(ind.tabel.loc[ind.tabel["regionummer"] == 12, "vestigingscode"])
    tekst = "regionummer;regionaam;vestigingscode\n" + "".join(f"999999;Groot;{c}\n" for c in twaalf)
    bouwer.laad_csv("groot.csv", tekst.encode())
    assert bouwer.nummer.value == 999999
    assert {r.split(";")[0] for r in _csv_uit(bouwer).splitlines()[1:]} == {"999999"}
    assert bouwer.opslaan_regio.maak()[0] == "regio-indeling-999999.csv"


def test_hele_indeling_verliest_geen_school(demo_ctx, tmp_path):
    """A school taken out of a region and saved whole under the same number is listed as 'niet
    ingedeeld' on screen before saving and in the file; loading opens the marked region, says
    what it read, and a second save keeps the school listed until it is put back."""
    from regioportret.context import actieve_indeling
    from regioportret.errors import IndelingFout

    b = Regiobouwer(demo_ctx)
    b.begin.value = "12"
    twaalf = set(demo_ctx.indeling.tabel.loc[demo_ctx.indeling.tabel["regionummer"] == 12, "vestigingscode"])
    weg = sorted(twaalf)[0]
    assert b.niet_ingedeeld_html.value == ""
    b.wissel(weg)
    assert weg in b.niet_ingedeeld_html.value and "niet ingedeeld" in b.niet_ingedeeld_html.value  # before saving
    tekst = _csv_uit(b, heel=True)
    regels = tekst.splitlines()
    assert regels[0] == "regionummer;regionaam;vestigingscode;opmerking"
    assert f";;{weg};niet ingedeeld" in regels
    assert all(r.endswith(";bewerkt") for r in regels if r.startswith("12;"))
    alle = {r.split(";")[2] for r in regels[1:]}
    assert alle == set(demo_ctx.indeling.tabel["vestigingscode"])  # every school is in the file
    # the site reads the file as an indeling: the school is in no region, and said so
    (tmp_path / "heel.csv").write_text(tekst, encoding="utf-8")
    ind = actieve_indeling(demo_ctx.ds, tmp_path / "heel.csv")
    assert weg not in set(ind.tabel["vestigingscode"]) and ind.niet_ingedeeld == [weg] and ind.bewerkt == 12
    # load into a fresh builder: region 12 opens, the message names what was read
    b2 = Regiobouwer(demo_ctx)
    b2.laad_csv("heel.csv", tekst.encode())
    assert b2.nummer.value == 12 and b2.gekozen == twaalf - {weg}
    m = b2.melding.value
    assert "in het bestand gemarkeerd als bewerkt" in m and f"1 niet ingedeeld ({weg})" in m
    assert f"{getal(demo_ctx.indeling.regios.shape[0])} regio's" in m and weg in b2.niet_ingedeeld_html.value
    # a second whole save from the loaded indeling still lists it; putting it back clears the list
    assert f";;{weg};niet ingedeeld" in _csv_uit(b2, heel=True).splitlines()
    b2.wissel(weg)
    assert b2.niet_ingedeeld_html.value == "" and "niet ingedeeld" not in _csv_uit(b2, heel=True)
    # a file that puts a school in a region and lists it as in no region is refused, with its line
    with pytest.raises(IndelingFout, match="staat in een regio en als 'niet ingedeeld'"):
        b2.laad_csv("fout.csv", (tekst + f";;{sorted(twaalf)[1]};niet ingedeeld\n").encode())
    with pytest.raises(IndelingFout, match="onbekende vestigingscode 77ZZ00 \\(niet ingedeeld\\)"):
        b2.laad_csv("onbekend.csv", (tekst + ";;77ZZ00;niet ingedeeld\n").encode())


@pytest.mark.parametrize("regels, melding", [
    ("12;A;{c};misschien", "onbekende opmerking 'misschien'"),
    ("12;A;{c};niet ingedeeld", "heeft geen regionummer en regionaam"),
    ("12;A;{c};bewerkt\n13;B;{d};bewerkt", "meer regio's zijn als 'bewerkt' gemarkeerd: 12, 13"),
    (";;XX;niet ingedeeld", "ongeldige vestigingscode 'XX'"),
])
def test_opmerkingen_in_een_indeling_worden_gecontroleerd(tmp_path, regels, melding):
    from regioportret.errors import IndelingFout
    from regioportret.sources.indeling import lees_indelingbestand

    f = tmp_path / "i.csv"
    f.write_text("regionummer;regionaam;vestigingscode;opmerking\n" + regels.format(c="90AA00", d="90AB00") + "\n",
                 encoding="utf-8")
    with pytest.raises(IndelingFout, match=melding.replace("(", r"\(").replace(")", r"\)")):
        lees_indelingbestand(f)


def test_bouwer_toont_waar_u_bent_en_vraagt_bij_gestapelde_stippen(demo_ctx):
    """Starting from a region outlines it and zooms to it, with every region's number as on the
    dashboard; where dots overlap at the map's zoom a click asks which school is meant, and
    only the school picked changes."""
    from regioportret.views.kaart import dicht_bij

    b = Regiobouwer(demo_ctx)
    assert b.nummers.nummers == set(demo_ctx.indeling.regios["regionummer"])
    land = b.kaart.zoom
    b.begin.value = "12"
    assert [f["properties"]["regionummer"] for f in b.laag_regio.data["features"]] == [12]
    assert b.kaart.zoom > land
    b.begin.value = "leeg"
    assert b.laag_regio.data["features"] == [] and b.gekozen == set()
    # at the country's zoom many dots overlap: a click asks
    b.kaart.zoom = 6
    code = next(c for c, f in b.punten.items() if len(dicht_bij(b.punten, *f["geometry"]["coordinates"], 6)) > 1)
    hier = dicht_bij(b.punten, *b.punten[code]["geometry"]["coordinates"], 6)
    b._klik_school(feature=b.punten[code])
    assert b.gekozen == set() and "Op deze plek liggen" in b.stapel.children[0].value
    knoppen = [k for k in b.stapel.children[1:-1]]
    assert [k.description.split()[0] for k in knoppen] == hier
    ander = hier[-1] if hier[-1] != code else hier[0]
    next(k for k in knoppen if k.description.startswith(ander)).click()
    assert b.gekozen == {ander} and b.stapel.children == ()
    # zoomed in far enough, the same dot alone: a click toggles it at once
    b.kaart.zoom = 18
    b._klik_school(feature=b.punten[code])
    assert b.gekozen == {ander, code} and b.stapel.children == ()
    b.wis_alles()
    assert b.gekozen == set()


def test_scenario_verschil_van_het_aandeel_is_gevuld(demo_ctx):
    b = Regiobouwer(demo_ctx)
    b.begin.value = "12"
    assert max(len(o[0]) for o in b.sc_vestiging.options) == max(
        len(f"{v.vestigingscode} {v.naam}") for v in demo_ctx.selectie(vestigingen=sorted(b.gekozen)).vestigingen)
    from regioportret.format import procentpunt
    from regioportret.model import dekking

    aanbod = dekking.aanbod_van(demo_ctx.basis.tabel)
    code, profiel = next((c, p) for p in aanbod for c in aanbod[p] if c in b.gekozen)
    b.voeg_toe(code, profiel, "stopt")
    u = demo_ctx.scenario(b.wijzigingen, vestigingen=sorted(b.gekozen), nummer=12, naam=b.naam.value)
    rij = b.sc_html.value.split('data-rij="techniekaandeel"')[1].split("</tr>")[0]
    assert f"<td>{procentpunt(u.na.techniekaandeel - u.voor.techniekaandeel)}</td>" in rij
    assert procentpunt(-0.0042) == "−0,4 procentpunt" and procentpunt(0.0) == "0,0 procentpunt"
    # every row's "verschil" cell says something, also where nothing changes
    import re

    for rij in re.findall(r'<tr data-rij="[^"]+">(.*?)</tr>', b.sc_html.value):
        assert re.findall(r"<td>(.*?)</td>", rij)[-1].strip(), rij
