"""The STO rules applied to a portrait: each result with the rule spelled out.

Every parameter comes from rules.py (one place, with its source); this module only applies
them. Used by the JSON output and shown next to the figures.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .. import rules
from ..format import aandeel, euro, getal


@dataclass(frozen=True)
class Regeluitkomst:
    regel: str
    uitkomst: bool | int | float | str | None
    toelichting: str

    def als_dict(self) -> dict:
        return asdict(self)


def budget_leerlingen(p) -> int:
    """Students who count towards the maximum budget: technical profielen, leerjaar 3-4 of BB, KB, GL."""
    t = p.tabel
    return int(t.loc[t["profiel"].isin(rules.TECHNISCHE_PROFIELEN) & t["leerweg"].isin(rules.BUDGET_LEERWEGEN),
                     "aantal"].sum())


def budget_indicatie_eur(p) -> float | None:
    """Indicative amount from the earlier per-student STO amounts; None for a techniekarme region
    (it has its own budget range) or when there are no students."""
    if p.techniekarm() is not False:
        return None
    t = p.tabel
    tech = t[t["profiel"].isin(rules.TECHNISCHE_PROFIELEN) & t["leerweg"].isin(rules.BUDGET_LEERWEGEN)]
    bedrag = rules.BUDGET_PER_LEERLING_EUR[rules.BUDGET_BEDRAGJAAR]
    return float(sum(bedrag * rules.BUDGET_FACTOR_LEERWEG[lw] * n
                     for lw, n in tech.groupby("leerweg")["aantal"].sum().items()))


def penvoerders(p) -> list[str]:
    """Vestigingen that may be penvoerder: those with technical profielen, any when techniekarm."""
    if p.techniekarm():
        return sorted(p.tabel["vestigingscode"].unique())
    return sorted(p.tabel.loc[p.tabel["profiel"].isin(rules.TECHNISCHE_PROFIELEN), "vestigingscode"].unique())


def arbeidsmarktregios(p, koppeling) -> list[dict]:
    """The arbeidsmarktregio('s) of the selection's vestigingen, weighted by leerjaar 3-4 students."""
    if koppeling is None or p.tabel.empty:
        return []
    per = p.tabel.groupby("vestigingscode")["aantal"].sum().rename("leerlingen").reset_index()
    per = per.merge(koppeling, on="vestigingscode", how="inner")
    if per.empty or per["leerlingen"].sum() == 0:
        return []
    g = per.groupby(["arbeidsmarktregiocode", "arbeidsmarktregionaam"])["leerlingen"].sum()
    totaal = g.sum()
    return [{"code": code, "naam": naam, "gewicht": round(float(n / totaal), 6), "leerlingen": int(n)}
            for (code, naam), n in g.sort_values(ascending=False).items()]


def een_regio_per_vestiging(overlap, label: str) -> Regeluitkomst:
    """Met for a region of the indeling (checked when it was loaded); for a composition, not
    met when it takes vestigingen the indeling puts in another region (`overlap`: records with
    vestigingscode and regionummer)."""
    if not overlap:
        return Regeluitkomst("een_regio_per_vestiging", True,
                             f"Elke vestiging hoort bij één regio: de {label} is bij het laden gecontroleerd.")
    lijst = ", ".join(f"{o['vestigingscode']} (regio {o['regionummer']})" for o in list(overlap)[:10])
    return Regeluitkomst("een_regio_per_vestiging", False,
                         f"{len(overlap)} gekozen vestiging(en) horen in de {label} al bij een andere regio: {lijst}"
                         + (" …" if len(overlap) > 10 else "") + ". Een vestiging hoort bij één regio.")


def regels(p) -> list[Regeluitkomst]:
    d = p.definitie
    a = p.techniekaandeel()
    arm = p.techniekarm()
    uit = [Regeluitkomst(
        "techniekarm", arm,
        f"Techniekaandeel {aandeel(a)}: {d.omschrijving}. Bron: {d.bron}." if a is not None
        else "Geen vmbo-leerlingen in leerjaar 3-4: het techniekaandeel is niet te bepalen.")]
    n, minimum = p.vestigingen_met_techniek(), rules.MINIMUM_VESTIGINGEN_MET_TECHNIEK
    uit.append(Regeluitkomst(
        "samenwerking", n >= minimum,
        f"{n} vestigingen met een technisch profiel ({p.instellingen_met_techniek()} scholen/BRIN); "
        f"normaal werken minstens {minimum} scholen met technische profielen samen. Met één technische school "
        "mag de regio samenwerken met andere vmbo-scholen; afwijken kan met toelichting."))
    uit.append(een_regio_per_vestiging((), p.indeling.label))
    pv = penvoerders(p)
    uit.append(Regeluitkomst(
        "penvoerder", len(pv),
        ("Techniekarme regio: elke deelnemende school mag penvoerder zijn. " if arm else
         "Alleen een school met technische profielen mag penvoerder zijn. ")
        + (f"Mogelijke penvoerders: {', '.join(pv[:15])}" + (f" en nog {len(pv) - 15}" if len(pv) > 15 else "") + "."
           if pv else "Geen enkele vestiging komt in aanmerking.")))
    bl = budget_leerlingen(p)
    ind = budget_indicatie_eur(p)
    if arm:
        lo, hi = rules.TECHNIEKARM_BUDGET_EUR
        tekst = (f"Techniekarme regio: een eigen budget van {euro(lo)} tot {euro(hi)} voor "
                 f"{rules.TECHNIEKARM_BUDGET_JAREN} jaar; geen bedrag per leerling.")
    else:
        bedrag = rules.BUDGET_PER_LEERLING_EUR[rules.BUDGET_BEDRAGJAAR]
        tekst = (f"{getal(bl)} leerlingen in de vijf technische profielen (leerjaar 3-4 BB, KB, GL) tellen mee. "
                 f"Indicatie: {euro(ind or 0)} ({euro(bedrag)} per leerling, de helft voor GL; bedragen "
                 f"{rules.BUDGET_BEDRAGJAAR}). Bron: {rules.BRON_BUDGET}.")
    uit.append(Regeluitkomst("budget", bl, tekst))
    return uit
