"""The portrait's panels as HTML, one function per panel, each rendering one template over the
selection's bundle (model.selectie.Selectie). The dashboard and the static site call these,
so a figure is printed the same way on both."""

from __future__ import annotations

from markupsafe import escape  # noqa: F401 - for pages that add a heading

from .. import format as fmt
from ..model import backtest as bt
from ..model import prognoseportret as pp
from ..model.selectie import HORIZON, Selectie
from ..model.vergelijking import INDICATOREN
from . import grafiek, palet, weergave
from .sjabloon import render, veilig

IN_KERN = ("techniekarm", "samenwerking")  # shown with the key figures, not again under the rules


def banner(demo: bool) -> str:
    return render("banner.html", demo=demo)


def stijl() -> str:
    return render("stijl.html")


def kerncijfers(s: Selectie, met_banner: bool = False) -> str:
    return render("kern.html", s=s, met_banner=met_banner, cijfers=weergave.kerncijfers(s),
                  regels=weergave.regels(s, alleen=IN_KERN))


def regels(s: Selectie, overslaan: tuple[str, ...] = IN_KERN) -> str:
    return render("regels.html", s=s, rijen=weergave.regels(s, overslaan=overslaan))


def per_regio(s: Selectie) -> str:
    """The breakdown of a multi-region selection; for the country, every region."""
    if not s.per_regio:
        return ""
    titel = f"Per regio ({s.indeling['label']})" if s.landelijk else "Per geselecteerde regio"
    return render("per_regio.html", s=s, titel=titel)


def profielen(s: Selectie) -> str:
    return render("profielen.html", s=s, balken=weergave.profielbalken(s))


def dekking(s: Selectie) -> str:
    """How far the selection's young residents live from each technical profiel."""
    return render("dekking.html", s=s)


def scenario(u, namen: dict[str, str], codes: set[str]) -> str:
    """A scenario's before and after (model.scenario.Uitkomst; None: no changes yet)."""
    return render("scenario.html", u=u, namen=namen, codes=codes)


def vestigingen(s: Selectie) -> str:
    return render("vestigingen.html", s=s)


def verandering_zin(s: Selectie) -> str | None:
    """The technical series' change with the range suppressed cells allow, one sentence for the
    page and the PDF (None when the data covers one year)."""
    v = s.trend.verandering
    if v is None:
        return None
    onderdrukt = v["onderdrukt_van"] + v["onderdrukt_tot"]
    return (f"Verandering {v['reeks']} van {v['van']} tot {v['tot']}: "
            f"{fmt.verandering(v['punt'], v['laag'], v['hoog'])}."
            + (f" Onderdrukte cellen: {fmt.getal(v['onderdrukt_van'])} in {v['van']}, {fmt.getal(v['onderdrukt_tot'])} "
               f"in {v['tot']}; {s.trend.onderdrukt_regel}." if onderdrukt else ""))


def trend(s: Selectie) -> str:
    t = s.trend.leerlingen
    svg_ll = grafiek.reeks_svg(t["techniek"].to_dict(), label="leerlingen in technische profielen") \
        if len(t) > 1 else ""
    svg_ex = grafiek.reeks_svg(s.trend.techniek_examens, label="examenkandidaten sector techniek")
    return render("trend.html", s=s, svg_leerlingen=veilig(svg_ll), svg_examens=veilig(svg_ex),
                  verandering=verandering_zin(s))


def bronnen_kort(bronnen) -> str:
    """'a.csv, b.csv' or 'first … last (n bestanden)': a source line must stay one line."""
    bronnen = list(bronnen)
    return ", ".join(bronnen) if len(bronnen) <= 2 else f"{bronnen[0]} … {bronnen[-1]} ({len(bronnen)} bestanden)"


def band_zinnen(p) -> list[str]:
    """What the band around the forecast is, for the page and the PDF: the rule, and per series
    where it has none or where it comes from another level than the selection's."""
    zinnen = [pp.BAND_TEKST]
    reeksen = [p.reeksen[n] for n in p.getoond] + list(p.leerlingen.values())
    zonder = [r.label for r in reeksen if r.prognose and r.band_niveau is None]
    if zonder:
        zinnen.append(f"Geen band voor {', '.join(zonder)}: de backtest heeft op geen enkel niveau genoeg fouten "
                      "om te zeggen waar 80% van de uitkomsten ligt.")
    bereik = [r.label for r in reeksen if r.prognose and r.band_niveau == pp.INVOER]
    if bereik:
        zinnen.append(f"Het bereik om {', '.join(bereik)} is geen band uit een backtest maar komt uit de spreiding "
                      "van de invoer (zie hieronder hoe).")
    for r in reeksen:
        if r.band_niveau not in (None, pp.INVOER) and r.band_niveau != p.niveau:
            zinnen.append(f"De band van {r.label} komt van het niveau {r.band_niveau}: op het niveau {p.niveau} "
                          f"heeft de backtest minder dan {bt.MIN_FOUTEN} fouten per horizon. Die band is ruimer dan "
                          "nodig.")
    return zinnen


def prognose(s: Selectie, link: str | None = None) -> str:
    p = s.prognose
    titel = "alle vestigingen in de data" if s.landelijk else s.titel
    svgs = {} if p is None else {n: veilig(grafiek.reeks_svg(p.reeksen[n].historie, p.reeksen[n].tot(HORIZON),
                                                             p.reeksen[n].label, band_woord=p.reeksen[n].band_woord))
                                 for n in p.getoond}
    return render("prognose.html", s=s, titel=titel, svgs=svgs, link=link, min_jaren=bt.MIN_JAREN + 1,
                  horizon=HORIZON, band_zinnen=band_zinnen(p) if p is not None else [],
                  lj34_methode=p.leerlingen_methode if p is not None else None, modelnamen=pp.MODEL_NAMEN,
                  bronnen_kort=bronnen_kort(p.bronnen) if p is not None else "")


def arbeidsmarkt(s: Selectie) -> str:
    b = s.arbeidsmarkt
    gebieden = b.per_gebied
    kolommen, doorstroom = b.doorstroom_per_profiel
    return render("arbeidsmarkt.html", b=b, demo=s.demo, palet=palet, kaarten=weergave.arbeidsmarktkaarten(b),
                  gebieden=[r for _, r in gebieden.iterrows()] if not gebieden.empty else [],
                  periode_banen=", ".join(sorted(set(b.banen["periode"].astype(str)))) or "–",
                  periode_werkloosheid=", ".join(sorted(set(b.werkloosheid["periode"].astype(str)))) or "–",
                  doorstroom=doorstroom, doorstroom_gebieden=kolommen, doorstroom_onderdrukt=b.doorstroom_onderdrukt)


def vergelijking(s: Selectie, indicator: str = "techniekaandeel") -> str:
    if s.vergelijking is None:
        return render("vergelijking.html", s=s)
    koppen, rijen = weergave.vergelijkingstabel(s)
    return render("vergelijking.html", s=s, indicatoren=INDICATOREN, indicator=indicator, koppen=koppen, rijen=rijen,
                  rangorde=weergave.rangorde(s, indicator))


def qa() -> str:
    from .qa import vragen

    return render("stijl.html") + render("qa.html", vragen=vragen())


def popup(v, teldatum: str, link: str) -> str:
    """A school's popup on the map: its figures from the bundle, and the form link."""
    return render("popup.html", v=v, teldatum=teldatum, link=link)


def alle(s: Selectie, prognose_link: str | None = None, indicator: str = "techniekaandeel") -> list[str]:
    """Every panel below the map, in the dashboard's order: the static site and the PDF print them
    all (the country's vestigingen are its per-region table, not 1,500 rows)."""
    return [kerncijfers(s), regels(s), per_regio(s), profielen(s), dekking(s),
            "" if s.landelijk else vestigingen(s), trend(s), prognose(s, prognose_link), arbeidsmarkt(s),
            vergelijking(s, indicator)]
