"""The page behind "naar het aanvraagformulier": the known data of one vestiging and its region.

The full application form (editable fields, exports) is issue 6; until then this page shows
what the data knows, so the link from the map already leads somewhere useful.
"""

from __future__ import annotations

import dataclasses
import html
from urllib.parse import parse_qs

from .. import rules
from ..errors import RegioportretError, SelectieFout
from ..format import getal
from ..model import actieve_indeling, basis, kies_regios
from ..store import laad
from .notebook import _display, foutmelding, query_string
from .portret import STIJL, banner, bronregel, profiel_tabel


def vestiging_html(data=None, vestiging: str | None = None, regio: str | None = None) -> str:
    ds = laad(data)
    ind = actieve_indeling(ds)
    b = basis(ds, ind)
    if not vestiging:
        raise SelectieFout("Kies een school op de kaart van het regioportret; deze pagina toont dan haar gegevens.")
    code = vestiging.strip().upper()
    t = b.tabel[b.tabel["vestigingscode"] == code]
    bekend = ds.vestigingen is not None and code in set(ds.vestigingen["vestigingscode"])
    if t.empty and not bekend:
        raise SelectieFout(f"Vestiging '{code}' staat niet in de data (verwacht: 6 tekens, bv. 00AH17).")
    regio_data = ind.tabel.loc[ind.tabel["vestigingscode"] == code, "regionummer"]
    regio_nr = int(regio_data.iloc[0]) if len(regio_data) else None
    if regio:
        gevraagd = kies_regios(ind, regio)
        if regio_nr is not None and gevraagd != [regio_nr]:
            raise SelectieFout(f"Vestiging {code} hoort bij regio {regio_nr}, niet bij regio {regio}.")
    rijen = [("Vestigingscode", code)]
    if bekend:
        v = ds.vestigingen[ds.vestigingen["vestigingscode"] == code].iloc[0]
        rijen += [("Naam", v["vestigingsnaam"]), ("Adres", f"{v['straat']} {v['huisnummer']}"),
                  ("Postcode en plaats", f"{v['postcode']} {v['plaatsnaam']}"),
                  ("Gemeente", f"{v['gemeentenaam']} ({v['gemeentecode']})"), ("Provincie", v["provincie"])]
    elif len(t):
        rijen += [("Naam", t["vestigingsnaam"].iloc[0]), ("Plaats", t["plaatsnaam"].iloc[0])]
    rijen.append(("Regio", f"{regio_nr} – {ind.naam(regio_nr)}" if regio_nr is not None else "niet ingedeeld"))
    p = dataclasses.replace(b.portret(), tabel=t.reset_index(drop=True),
                            regios=[] if regio_nr is None else [{"regionummer": regio_nr, "regionaam": ind.naam(regio_nr)}])
    rijen += [("Leerlingen leerjaar 3-4", getal(sum(p.leerlingen().values()))),
              ("In technische profielen", getal(p.techniek()))]
    tabel = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
                    for k, v in rijen)
    return (STIJL + banner(ds.is_demo) + "<h3>Aanvraagformulier STO – bekende gegevens van de vestiging</h3>"
            + "<div class='rp-regel'>Het volledige formulier (contactpersoon, penvoerder, partners, export) volgt; "
            "hieronder staat wat de officiële data over deze vestiging weet.</div>"
            + f"<table class='rp-tabel'>{tabel}</table>" + bronregel(p)
            + profiel_tabel(p) + "<div class='rp-regel'>Technische profielen: "
            + ", ".join(rules.PROFIEL_AFKORTING[c] for c in rules.TECHNISCHE_PROFIELEN) + ".</div>")


def toon_vestiging(data=None, vestiging=None, regio=None) -> None:
    q = parse_qs(query_string())
    vestiging = q.get("vestiging", [vestiging])[0]
    regio = q.get("regio", [regio])[0]
    try:
        _display(vestiging_html(data, vestiging, regio))
    except RegioportretError as e:
        _display(foutmelding(e))
