"""The application form (aanvraag.ipynb), reached from a school's popup: the known data of all
participating vestigingen of the region prefilled, fields for what only the applicants know,
checks with Dutch messages, and the filled form as JSON, Excel or PDF download.

Everything a user types stays in the kernel's memory and in the download; nothing is written
to the server's disk.
"""

from __future__ import annotations

import dataclasses
import json

import pandas as pd

from .. import rules
from ..context import Context, open_context
from ..errors import RegioportretError, SelectieFout
from ..format import getal
from ..model.aanvraag import Aanvraag, maak_aanvraag, regels_lijst, valideer
from .adresbalk import Downloadknop
from .notebook import (
    LOG,
    RONDE_KEUZES,
    _display,
    begin_pagina,
    foutmelding,
    kies_ronde,
    query_parameters,
    query_waarde,
    ronde_in_adres,
    veilig,
)
from .panelen import banner, stijl
from .sjabloon import render
from .sjabloon import veilig as veilig_html
from .verbinding import Formulierbewaarder, veldklasse
from .weergave import EXCEL_FORMAAT, Cijfer, prognosepunten


def kies_regio(ctx: Context, vestiging: str | None, regio: str | None) -> int:
    """The region of the form: the clicked vestiging's (checked against ?regio=), or ?regio= alone."""
    ind = ctx.indeling
    if vestiging:
        code = vestiging.strip().upper()
        nr = ctx.regio_van(code)
        if nr is None:
            raise SelectieFout(f"Vestiging {code} hoort bij geen regio van de {ind.label}; een aanvraag gaat per "
                               "regio.")
        if regio and ctx.regios(regio) != [nr]:
            raise SelectieFout(f"Vestiging {code} hoort bij regio {nr}, niet bij regio {regio}.")
        return nr
    if regio:
        nummers = ctx.regios(regio)
        if len(nummers) != 1:
            raise SelectieFout("Een aanvraag gaat over één regio: kies er één.")
        return nummers[0]
    raise SelectieFout("Kies een school op de kaart van het regioportret; deze pagina toont dan het formulier "
                       "van haar regio.")


# -- exports of the filled form (bytes, never files on the server) ---------------------------
VELDEN = {"contactpersoon": "Contactpersoon", "email": "E-mail", "telefoon": "Telefoon", "penvoerder": "Penvoerder",
          "mbo_partners": "Mbo-partner(s)", "bedrijven": "Bedrijven", "toelichting": "Toelichting"}


def aanvraag_json(a: Aanvraag) -> bytes:
    return json.dumps(a.als_dict(), ensure_ascii=False, indent=1).encode("utf-8")


def _vestigingen_tabel(a: Aanvraag) -> pd.DataFrame:
    rijen = []
    for v in a.vestigingen:
        r = {"vestigingscode": v.vestigingscode, "naam": v.naam, "adres": v.adres, "postcode": v.postcode,
             "plaats": v.plaats, "gemeente": v.gemeente,
             **{f"leerlingen {lw}": n for lw, n in v.leerlingen.items()},
             **{f"{rules.PROFIEL_AFKORTING[pr]} {lw}": n for pr, per in v.techniek.items() for lw, n in per.items()},
             "techniek per profiel": ", ".join(f"{rules.PROFIEL_AFKORTING[pr]} {getal(n)}"
                                              for pr, n in v.techniek_per_profiel.items() if n),
             "techniek totaal": v.techniek_totaal, "onderdrukte cellen (<5)": v.onderdrukt,
             "kan penvoerder zijn": rules.JA_NEE[v.kan_penvoerder_zijn]}
        rijen.append(r)
    return pd.DataFrame(rijen)


def prognose_tekst(a: Aanvraag) -> str:
    prog = a.prognose
    return prognosepunten(prog.get("jaren", [])) if prog else "geen prognose (te weinig jaren)"


def _kerncijfer_waarden(a: Aanvraag) -> list[Cijfer]:
    """Every key figure of the form, once: the page and the PDF print their text, the Excel keeps
    the numbers as numbers."""
    prog = a.prognose
    return [
        Cijfer("Regio", f"{a.regionummer} – {a.regionaam}"), Cijfer("Indeling", a.indeling),
        Cijfer("Teldatum", a.teldatum),
        Cijfer("Deelnemende vestigingen", len(a.vestigingen), "getal"),
        *[Cijfer(f"Leerlingen {lw} leerjaar 3-4", n, "getal") for lw, n in a.leerlingen.items()],
        Cijfer("In technische profielen", a.techniek, "getal"),
        Cijfer("Regeling", rules.RONDES[a.ronde].regeling),
        Cijfer("Techniekaandeel", a.techniekaandeel, "aandeel"),
        Cijfer(f"{a.drempelterm.capitalize()} (regeling {a.ronde})", a.onder_drempel, "ja_nee"),
        Cijfer("Minstens twee vestigingen met techniek", a.samenwerking, "ja_nee"),
        Cijfer("Leerlingen voor het budget", a.budget_leerlingen, "getal"),
        *([Cijfer("Budgetindicatie per jaar", a.budget_indicatie_eur, "euro")] if a.budget_indicatie_eur is not None
          else []),
        Cijfer("Budget", a.budget),
        Cijfer("Arbeidsmarktregio('s)", ", ".join(f"{r['naam']} ({r['code']})" for r in a.arbeidsmarktregios) or "–"),
        Cijfer(f"Prognose {prog.get('reeks', '')}".strip(), prognose_tekst(a)),
    ]


def _kerncijfers(a: Aanvraag) -> list[tuple[str, str]]:
    return [(c.label, c.tekst) for c in _kerncijfer_waarden(a)]


def _ingevuld(a: Aanvraag) -> list[tuple[str, str]]:
    return [(label, "\n".join(getattr(a, k)) if isinstance(getattr(a, k), list) else getattr(a, k))
            for k, label in VELDEN.items()]


def aanvraag_xlsx(a: Aanvraag) -> bytes:
    from .export import xlsx_bytes

    kern = _kerncijfer_waarden(a)
    ingevuld = _ingevuld(a)
    formaten = [None] * len(ingevuld) + [EXCEL_FORMAAT.get(c.soort) for c in kern]
    return xlsx_bytes({
        "Aanvraag": pd.DataFrame(ingevuld + [(c.label, c.excel) for c in kern], columns=["onderdeel", "waarde"]),
        "Vestigingen": _vestigingen_tabel(a),
        "Bronnen": pd.DataFrame([("bron", "DUO Open Onderwijsdata: " + ", ".join(a.bronnen)),
                                 ("teldatum", a.teldatum), ("indeling", a.indeling),
                                 *(("indeling", zin) for zin in a.telling),
                                 ("demodata", "ja: fictieve scholen" if a.demo else "nee")],
                                columns=["onderdeel", "waarde"]),
    }, formaten={"Aanvraag": {"waarde": formaten}})


def aanvraag_html(a: Aanvraag) -> str:
    """The filled form as one printable document: what the applicants typed (their lines kept),
    then the facts exactly as the form page prints them."""
    titel = f"Aanvraag Sterk Techniekonderwijs – regio {a.regionummer} {a.regionaam}"
    return render("aanvraag_document.html", titel=f"Aanvraag STO regio {a.regionummer}", demo=a.demo, kop=titel,
                  voet=f"Aanvraag STO – regio {a.regionummer} {a.regionaam}",
                  onderwerp="Aanvraag Sterk Techniekonderwijs", ingevuld=_ingevuld(a),
                  feiten=veilig_html(feiten_html(a, op_pagina=False)))


def aanvraag_pdf(a: Aanvraag) -> bytes:
    from .pdf import html_naar_pdf

    return html_naar_pdf(aanvraag_html(a))


# -- the form ---------------------------------------------------------------------------------
class Formulier:
    """The widgets of the form; `lees()` turns them into an Aanvraag, `controleer()` checks it."""

    def __init__(self, a: Aanvraag, gekozen: str | None = None):
        import ipywidgets as w

        self.basis = a
        breed = w.Layout(width="520px")
        self.velden = {
            "contactpersoon": w.Text(description="Contactpersoon", layout=breed, style={"description_width": "150px"}),
            "email": w.Text(description="E-mail", layout=breed, style={"description_width": "150px"}),
            "telefoon": w.Text(description="Telefoon", layout=breed, style={"description_width": "150px"}),
            "penvoerder": w.Dropdown(description="Penvoerder", layout=breed, style={"description_width": "150px"},
                                     options=[("— kies —", "")]),
            "mbo_partners": w.Textarea(description="Mbo-partner(s)", placeholder="één per regel", layout=breed,
                                       style={"description_width": "150px"}),
            "bedrijven": w.Textarea(description="Bedrijven", placeholder="één per regel", layout=breed,
                                    style={"description_width": "150px"}),
            "toelichting": w.Textarea(description="Toelichting", layout=w.Layout(width="520px", height="90px"),
                                      style={"description_width": "150px"}),
        }
        self.melding = w.HTML()
        self.zet_basis(a, gekozen)
        for naam, veld in self.velden.items():  # the browser tab keeps what was typed (views.verbinding)
            veld.add_class(veldklasse(naam))
        bewaarder = Formulierbewaarder(sleutel=f"aanvraag-regio-{a.regionummer}")
        self.knoppen = {soort: Downloadknop(lambda s=soort: self.bestand(s), self.melding, beschrijving=label)
                        for soort, label in (("json", "Download JSON"), ("xlsx", "Download Excel"),
                                             ("pdf", "Download pdf"))}
        controleer = w.Button(description="Controleer", button_style="primary")
        controleer.on_click(veilig(self.melding, lambda _: self.controleer()))
        self.widget = w.VBox([w.HTML(stijl() + "<h2>In te vullen door de regio</h2>"), *self.velden.values(),
                              w.HBox([controleer, *self.knoppen.values()]), self.melding, bewaarder])

    def zet_basis(self, a: Aanvraag, gekozen: str | None = None) -> None:
        """The region's facts under a (new) regulation round: the penvoerder choice follows the
        round's verdict (in a techniekluwe/techniekarme region every school may be penvoerder);
        a choice that is still allowed stays."""
        self.basis = a
        keuze = self.velden["penvoerder"]
        houd = gekozen or keuze.value
        keuze.options = [("— kies —", "")] + [(f"{v.vestigingscode} {v.naam}", v.vestigingscode)
                                               for v in a.vestigingen if v.kan_penvoerder_zijn]
        keuze.value = houd if houd in a.mogelijke_penvoerders() else ""
        self.melding.value = ""

    def lees(self) -> Aanvraag:
        v = {k: x.value for k, x in self.velden.items()}
        return dataclasses.replace(self.basis, contactpersoon=v["contactpersoon"].strip(), email=v["email"].strip(),
                                   telefoon=v["telefoon"].strip(), penvoerder=v["penvoerder"],
                                   mbo_partners=regels_lijst(v["mbo_partners"]), bedrijven=regels_lijst(v["bedrijven"]),
                                   toelichting=v["toelichting"].strip())

    def controleer(self) -> bool:
        fouten = valideer(self.lees())
        self.melding.value = render("controle.html", fouten=[(VELDEN[k], m) for k, m in fouten])
        return not fouten

    def bestand(self, soort: str) -> tuple[str, str, bytes] | None:
        """The filled form as 'json', 'xlsx' or 'pdf', made in memory; None (and the list of what
        is missing on the page) while the form is not complete."""
        if not self.controleer():
            return None
        a = self.lees()
        maker, mime = {"json": (aanvraag_json, "application/json"),
                       "xlsx": (aanvraag_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                       "pdf": (aanvraag_pdf, "application/pdf")}[soort]
        return f"aanvraag-sto-regio-{a.regionummer}.{soort}", mime, maker(a)


# The page's vestigingen table: what a reviewer reads; every count per profiel and leerweg, and
# the address, are in the Excel (the page table was 2,100 px wide in a 1,370 px box).
PAGINA_KOLOMMEN = ["vestigingscode", "naam", "plaats", *[f"leerlingen {lw}" for lw in rules.LEERWEGEN],
                   "techniek per profiel", "techniek totaal", "onderdrukte cellen (<5)", "kan penvoerder zijn"]


TEKSTKOLOMMEN = ("vestigingscode", "naam", "plaats", "techniek per profiel")  # read left to right
LEERLINGEN_GROEP = "leerlingen leerjaar 3-4"  # one header over the leerwegen (four 'leerlingen ...' did not fit A4)


def kopgroepen(kolommen: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The table's two header rows: (group, [(column, label)]); a column without a group
    spans both rows."""
    groepen: list[tuple[str, list[tuple[str, str]]]] = []
    for k in kolommen:
        if k.startswith("leerlingen "):
            if not groepen or groepen[-1][0] != LEERLINGEN_GROEP:
                groepen.append((LEERLINGEN_GROEP, []))
            groepen[-1][1].append((k, k.removeprefix("leerlingen ")))
        else:
            groepen.append(("", [(k, k)]))
    return groepen


def vestigingen_rijen(a: Aanvraag) -> tuple[list[str], list[list[str]]]:
    """The participating vestigingen as the page prints them: column names, formatted cells."""
    import numbers

    def cel(x) -> str:
        return getal(x) if isinstance(x, numbers.Integral) and not isinstance(x, bool) else str(x)

    t = _vestigingen_tabel(a).reindex(columns=PAGINA_KOLOMMEN)
    return list(t.columns), [[cel(x) for x in rij] for rij in t.itertuples(index=False)]


def feiten_html(a: Aanvraag, op_pagina: bool = True) -> str:
    """The region's facts as the form page and its PDF print them. In the PDF the frame brings
    its own style and banner, and the page's instructions (what to fill in, where it is kept)
    are left out: the PDF is what the region hands in."""
    kolommen, rijen = vestigingen_rijen(a)
    return render("aanvraag.html", stijl=veilig_html(stijl() if op_pagina else ""),
                  banner=veilig_html(banner(a.demo) if op_pagina else ""), a=a, kern=_kerncijfers(a),
                  kolommen=kolommen, kopgroepen=kopgroepen(kolommen), rijen=rijen,
                  tekstkolommen=TEKSTKOLOMMEN, op_pagina=op_pagina)


class Aanvraagpagina:
    """The form page of one region: the known facts under the chosen regulation round, then the
    form. Changing the round redraws the facts and the penvoerder choice; what was typed stays."""

    def __init__(self, ctx: Context, regionummer: int, ronde: str, gekozen: str | None = None):
        import ipywidgets as w

        from .adresbalk import Adresbalk

        self.ctx, self.regionummer = ctx, regionummer
        self.adres = Adresbalk(parameter="ronde")
        self.keuze = w.Dropdown(options=RONDE_KEUZES, value=ronde, description="Regeling",
                                layout=w.Layout(width="420px"), style={"description_width": "150px"})
        self.feiten = w.HTML()
        a = self.aanvraag(ronde)
        self.formulier = Formulier(a, gekozen)
        self._toon(a)
        self.keuze.observe(veilig(self.formulier.melding, lambda ch: self.kies(ch["new"])), names="value")
        self.widget = w.VBox([self.adres, self.keuze, self.feiten, self.formulier.widget])

    def aanvraag(self, ronde: str) -> Aanvraag:
        return maak_aanvraag(self.ctx.selectie([self.regionummer], definitie=rules.RONDE_DEFINITIE[ronde]))

    def kies(self, ronde: str) -> None:
        a = self.aanvraag(ronde)
        self.formulier.zet_basis(a)
        self._toon(a)

    def _toon(self, a: Aanvraag) -> None:
        self.feiten.value = feiten_html(a)
        self.adres.waarde = ronde_in_adres(a.ronde)


def toon_formulier(data=None, vestiging=None, regio=None, ronde=None) -> Aanvraagpagina | None:
    """The page: the known data of the region's vestigingen under the chosen round, then the form."""
    from IPython.display import display

    begin_pagina("Wat u in het formulier invulde, staat er na het opnieuw laden weer.")
    try:
        adres = query_parameters()
        vestiging = query_waarde("vestiging", vestiging, adres)
        regio = query_waarde("regio", regio, adres)
        ronde = kies_ronde(query_waarde("ronde", ronde, adres))
        ctx = open_context(data)
        pagina = Aanvraagpagina(ctx, kies_regio(ctx, vestiging, regio), ronde, (vestiging or "").strip().upper() or None)
    except Exception as e:  # a Dutch message, never Voilà's English cell error; details in the server's log
        if not isinstance(e, RegioportretError):
            LOG.exception("het aanvraagformulier kon niet worden geopend")
        _display(foutmelding(e if isinstance(e, RegioportretError) else RegioportretError(
            "Het formulier kon niet worden geopend. Laad de pagina opnieuw; lukt het dan nog niet, meld het aan "
            "de beheerder.")))
        return None
    display(pagina.widget)
    return pagina
