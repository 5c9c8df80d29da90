"""Every download is formula-safe through one guard (format.formulevrij / is_formule): the
builder's indeling CSVs, the scenario CSV, the exact counts (Excel and CSV, dashboard and CLI)
and the application form's workbook. A hostile name comes out as text, never as a formula."""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile

import pandas as pd

from regioportret import formule as fmt
from regioportret.model.aanvraag import maak_aanvraag
from regioportret.model.bouwer import indeling_csv
from regioportret.model.scenario import Wijziging, scenario_csv
from regioportret.sources._csv import Geheugenbestand
from regioportret.sources.indeling import lees_indeling
from regioportret.views.aanvraag import aanvraag_xlsx
from regioportret.views.export import schrijf_csv, xlsx_bytes

VIJANDIG = ['=1+1', '=HYPERLINK("http://voorbeeld.invalid","klik")', "+31 bouw", "-korting", "@SUM(A1)", "\tintern"]


def _csv_velden(tekst: str) -> list[str]:
    return [v for rij in csv.reader(io.StringIO(tekst), delimiter=";") for v in rij]


def _formulecellen(xlsx: bytes) -> list[str]:
    z = zipfile.ZipFile(io.BytesIO(xlsx))
    return [n for n in z.namelist() if n.startswith("xl/worksheets/") and "<f>" in z.read(n).decode()]


def test_de_ene_wacht():
    for x in VIJANDIG:
        assert fmt.is_formule(x) and fmt.formulevrij(x) == "'" + x and fmt.zonder_formulewacht("'" + x) == x
    assert fmt.formulevrij("Regio Noord") == "Regio Noord" and fmt.formulevrij(12) == 12
    assert fmt.zonder_formulewacht("'s-Hertogenbosch") == "'s-Hertogenbosch"  # only the guard's own quote


def test_elke_download_zonder_formules(demo_ctx, tmp_path):
    s = demo_ctx.selectie([12])
    codes = [v.vestigingscode for v in s.vestigingen]
    downloads: dict[str, str] = {}
    for naam in VIJANDIG:
        downloads[f"regio {naam!r}"] = indeling_csv(codes, 93, naam)
        downloads[f"hele indeling {naam!r}"] = indeling_csv(codes, 93, naam, demo_ctx.indeling)
    downloads["scenario"] = scenario_csv([Wijziging(codes[0], "PIE", "stopt")])
    for titel, tekst in downloads.items():
        slecht = [v for v in _csv_velden(tekst) if fmt.is_formule(v)]
        assert not slecht, (titel, slecht)
    # what the builder saved loads back with the name as typed
    for naam in VIJANDIG[:5]:
        t = lees_indeling(Geheugenbestand("regio.csv", indeling_csv(codes, 93, naam).encode("utf-8")))
        assert set(t["regionaam"]) == {naam}

    # the exact counts: one hostile vestiging name in every sheet
    bladen = demo_ctx.aantallen(s)
    bladen = {k: t.assign(**{c: VIJANDIG[1] for c in t.columns if c == "vestigingsnaam"}) for k, t in bladen.items()}
    assert any("vestigingsnaam" in t for t in bladen.values())
    assert _formulecellen(xlsx_bytes(bladen)) == []  # dashboard button and export --xlsx
    for pad in schrijf_csv(bladen, tmp_path / "csv"):  # export --csv
        slecht = [v for v in _csv_velden(pad.read_text(encoding="utf-8")) if fmt.is_formule(v)]
        assert not slecht, (pad.name, slecht)

    a = dataclasses.replace(maak_aanvraag(s), contactpersoon=VIJANDIG[0], email=VIJANDIG[4],
                            bedrijven=VIJANDIG[2:4], toelichting=VIJANDIG[5])
    xlsx = aanvraag_xlsx(a)
    assert _formulecellen(xlsx) == []
    assert VIJANDIG[0] in set(pd.read_excel(io.BytesIO(xlsx), sheet_name="Aanvraag")["waarde"].astype(str))
