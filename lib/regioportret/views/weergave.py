"""The presentation step: a bundle's figures as labelled, formatted rows, made once.

The model computes every figure; this module decides how each one reads (its Dutch label, its
kind, its bar length) and nothing else. The panels' templates (dashboard, static site and its
PDF), the form (page, PDF, Excel) and the CLI text print these rows as they are, so a label or a
format is changed here once for every surface. A row keeps the model's value next to its text:
the Excel stores the number, the page prints the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import format as fmt
from .. import rules
from ..model import vergelijking
from ..model.vergelijking import INDICATOREN
from . import palet


def _pct(x) -> str:
    """A figure that is already a percentage (CBS unemployment: 3.6 means 3,6%)."""
    return fmt.getal(x, 1) + "%"


# How a kind of figure reads, and its number format in Excel (kinds without one are text there).
FORMAAT = {"getal": fmt.getal, "aandeel": fmt.aandeel, "procent": fmt.procent, "pct": _pct, "euro": fmt.euro,
           "ja_nee": lambda x: rules.JA_NEE.get(x, fmt.LEEG), "tekst": str}
EXCEL_FORMAAT = {"getal": "#,##0", "aandeel": "0.0%", "procent": "0.0%", "euro": '"€" #,##0'}


@dataclass(frozen=True)
class Cijfer:
    """One labelled figure: `waarde` as the model gives it, `tekst` as every surface prints it."""

    label: str
    waarde: object
    soort: str = "tekst"
    sleutel: str = ""  # its name on the page (data-figuur) and in tests
    ander: bool = False  # another regulation round's verdict, beside the chosen round's

    @property
    def tekst(self) -> str:
        """The formatters print '–' for a missing number themselves; a missing text too."""
        return fmt.LEEG if self.waarde is None else FORMAAT[self.soort](self.waarde)

    @property
    def excel(self):
        """The value as the Excel stores it: a number where the kind has a number format."""
        return self.waarde if self.soort in EXCEL_FORMAAT else self.tekst


@dataclass(frozen=True)
class Regelrij:
    regel: str
    naam: str
    uitkomst: str
    toelichting: str


@dataclass(frozen=True)
class Balk:
    """A bar of a bar list: its label, the figure's text, its length (CSS width) and colour."""

    label: str
    tekst: str
    breedte: str
    kleur: str
    sleutel: object = None


def kerncijfers(s) -> list[Cijfer]:
    """The key figures of a selection (model.selectie.Selectie), in the order of the cards. The
    other round's verdict is shown only where the rounds disagree."""
    k, ronde = s.kern, s.ronde
    return [
        *[Cijfer(f"leerlingen {lw} lj 3-4", k.leerlingen[lw], "getal", f"leerlingen_{lw}") for lw in rules.LEERWEGEN],
        Cijfer("in technische profielen", k.techniek, "getal", "techniek"),
        Cijfer("techniekaandeel", k.techniekaandeel, "aandeel", "techniekaandeel"),
        Cijfer(f"{ronde.arm_term} (regeling {ronde.naam})", k.techniekarm, "ja_nee", "techniekarm"),
        *[Cijfer(f"{rules.RONDES[naam].arm_term} (regeling {naam}: {fmt.aandeel(r['techniekaandeel'])})",
                 r["techniekarm"], "ja_nee", f"techniekarm_{naam}", ander=True)
          for naam, r in k.per_ronde.items() if naam != ronde.naam and k.rondes_oneens],
        Cijfer(f"van {fmt.getal(k.vestigingen)} deelnemende vestigingen met techniek", k.vestigingen_met_techniek,
               "getal", "vestigingen"),
    ]


def regelnamen(s) -> dict[str, str]:
    """The rules' names as every surface prints them; the threshold rule in the round's own word."""
    return {"techniekarm": s.ronde.arm_term.capitalize(), **rules.REGELNAMEN}


def _uitkomst(r) -> str:
    if isinstance(r.uitkomst, bool):
        return rules.JA_NEE[r.uitkomst]
    if r.regel == "penvoerder" and r.uitkomst is not None:
        return f"{fmt.getal(r.uitkomst)} vestigingen"
    return fmt.getal(r.uitkomst) if isinstance(r.uitkomst, int | float) else fmt.LEEG


def regels(s, alleen: tuple[str, ...] | None = None, overslaan: tuple[str, ...] = ()) -> list[Regelrij]:
    """The rules' outcomes: a name, the outcome in words, the model's explanation."""
    namen = regelnamen(s)
    return [Regelrij(r.regel, namen.get(r.regel, r.regel), _uitkomst(r), r.toelichting) for r in s.regels
            if r.regel not in overslaan and (alleen is None or r.regel in alleen)]


def _breedte(verhouding: float, schaal: float = 100) -> str:
    return f"{schaal * verhouding:.1f}%"


def profielbalken(s) -> list[Balk]:
    """Students per profiel, a bar each, technical ones in the technical colour."""
    v = s.kern.profiel_verhouding
    return [Balk(rules.PROFIEL_AFKORTING.get(code, str(code)), fmt.getal(n), _breedte(v[code]),
                 palet.TECHNIEK if code in rules.TECHNISCHE_PROFIELEN else palet.OVERIG, code)
            for code, n in s.kern.profielen.items()]


def _soort(indicator: str):
    """How an indicator's value reads: a percentage or a count (model.vergelijking.INDICATOREN)."""
    return fmt.procent if INDICATOREN[indicator][1] == "procent" else fmt.getal


def indicatorwaarde(r, indicator: str) -> str:
    """One cell of the comparison (a row of model.vergelijking's table)."""
    if indicator == "techniekaandeel":
        return fmt.aandeel(r[indicator])
    if indicator == "trend":
        return fmt.verandering(r["trend"], r["trend_laag"], r["trend_hoog"])
    return _soort(indicator)(r[indicator])


def vergelijkingstabel(s) -> tuple[list[str], list[tuple[str, str, list[str]]]]:
    """(column heads: the selection's regions and the country, [(indicator, label, cells)])."""
    v = s.vergelijking
    return list(v.index), [(k, label, [indicatorwaarde(r, k) for _, r in v.iterrows()])
                           for k, (label, _) in INDICATOREN.items()]


def rangorde(s, indicator: str) -> list[Balk]:
    """Every region ranked on one indicator; the selection's regions in the chosen colour. The
    bars use 60% of the width, leaving room for the label and the figure."""
    gekozen = {r["regionummer"] for r in s.regios}
    tekst = _soort(indicator)
    return [Balk(f"{i}. regio {nr} {naam[:22]}", tekst(w), _breedte(verhouding, 60),
                 palet.GEKOZEN if nr in gekozen else palet.OVERIG, nr)
            for i, nr, naam, w, verhouding in vergelijking.rangorde(s.rangorde, indicator)]


def arbeidsmarktkaarten(b) -> list[Cijfer]:
    """The labour market's two cards (model.arbeidsmarkt.Arbeidsmarktbeeld): the selection's
    student-weighted figure, with the country's in the label."""
    k = b.kern
    uit = []
    if len(b.banen):
        uit.append(Cijfer(f"banen in technische sectoren\nlandelijk: {fmt.procent(k['banen_landelijk'])}",
                          k["banen_selectie"], "procent", "banen_techniek"))
    if len(b.werkloosheid):
        landelijk = fmt.LEEG if k["werkloosheid_landelijk"] is None else _pct(k["werkloosheid_landelijk"])
        uit.append(Cijfer(f"werkloosheid\nlandelijk: {landelijk}", k["werkloosheid_selectie"], "pct", "werkloosheid"))
    return uit


def prognosepunten(punten) -> str:
    """'2024: 223 (153–337); 2025: …': a forecast series on one line (points of the bundle, or
    their dicts as the form keeps them)."""
    def v(x, k):
        return x[k] if isinstance(x, dict) else getattr(x, k)

    return "; ".join(f"{v(x, 'jaar')}: {fmt.prognosepunt(v(x, 'punt'), v(x, 'onder'), v(x, 'boven'))}" for x in punten)


def prognoseregels(s) -> list[tuple[str, str]]:
    """(label, points) of every series the prognose panel charts, then leerjaar 3-4 after the
    student file where the data has one."""
    p = s.prognose
    if p is None:
        return []
    return ([(p.reeksen[n].label, prognosepunten(p.reeksen[n].tot())) for n in p.getoond]
            + [(r.label, prognosepunten(p.leerlingen_tot(n))) for n, r in p.leerlingen.items()])


def scenario_regels(u) -> list[str]:
    """A scenario's before and after (model.scenario.Uitkomst) as the CLI text's lines."""
    aandeel, getal, km = fmt.aandeel, fmt.getal, fmt.km
    regels = ["Scenario: " + "; ".join(w.tekst() for w in u.wijzigingen),
              f"  technische leerlingen {getal(u.voor.techniek)} -> {getal(u.na.techniek)}; techniekaandeel "
              f"{aandeel(u.voor.techniekaandeel)} -> {aandeel(u.na.techniekaandeel)}; leerlingen voor het budget "
              f"{getal(u.voor.budget_leerlingen)} -> {getal(u.na.budget_leerlingen)}",
              *[f"  {rules.RONDES[r].arm_term} (regeling {r}): {rules.JA_NEE[v['techniekarm']]} -> "
                f"{rules.JA_NEE[u.na.per_ronde[r]['techniekarm']]}" for r, v in u.voor.per_ronde.items()],
              *[f"  {rules.PROFIEL_AFKORTING[v['profiel']]}: mediaan {km(v['mediaan_km'])} -> {km(n['mediaan_km'])}"
                for v, n in zip(u.dekking_voor, u.dekking_na, strict=True) if v != n],
              *[f"  {getal(v['leerlingen'])} leerlingen {rules.PROFIEL_AFKORTING[v['profiel']]} van {v['vestigingscode']}"
                + (f" naar {v['naar']} ({km(v['km'])})" if v["naar"] else ": geen andere vestiging met dit profiel")
                for v in u.verplaatst],
              u.aanname]
    return regels


def portret_tekst(s, extra: list[str] = ()) -> str:
    """The portrait as plain text (the CLI): the same rows as the page."""
    from .sjabloon import render

    return render("portret.txt", s=s, cijfers=kerncijfers(s), regels=regels(s), extra=list(extra),
                  prognose=prognoseregels(s)).rstrip("\n")
