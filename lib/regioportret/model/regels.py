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
    """Students who count towards the maximum budget of the portrait's round: technical
    profielen, leerjaar 3-4 of BB, KB and GL."""
    r = rules.ronde_van(p.definitie)
    t = p.tabel
    return int(t.loc[t["profiel"].isin(r.budget_profielen) & t["leerweg"].isin(r.budget_leerwegen), "aantal"].sum())


def budget_indicatie_eur(p) -> float | None:
    """Per year, from the round's amounts per student; None for a techniekarme region (its own
    budget range), when there are no students, or when the round has no amount per student."""
    r = rules.ronde_van(p.definitie)
    if p.techniekarm() is not False or r.bedrag_per_leerling is None:
        return None
    t = p.tabel
    tech = t[t["profiel"].isin(r.budget_profielen) & t["leerweg"].isin(r.budget_leerwegen)]
    return float(sum(r.bedrag_per_leerling[lw] * n for lw, n in tech.groupby("leerweg")["aantal"].sum().items()))


def budget_tekst(p, aantal_regios: int = 1) -> str:
    """The budget line of the portrait's round: what counts, the round's amounts and limits, and where they are written."""
    r = rules.ronde_van(p.definitie)
    bl = budget_leerlingen(p)
    lo, hi = r.arm_budget_eur
    grenzen = (f"Regeling {r.naam}: een {r.arm_term}e regio vraagt "
               + (f"{euro(lo)} tot {euro(hi)}" if lo else f"hoogstens {euro(hi)}") + " aan voor de hele periode; "
               f"in totaal {euro(r.totaal_techniek_eur)} voor techniekregio's en {euro(r.totaal_arm_eur)} voor "
               f"{r.arm_term}e regio's. Bron: {r.totaal_bron}.")
    som = (f" De selectie telt {getal(aantal_regios)} regio's: elke regio vraagt apart aan, binnen haar eigen maximum."
           if aantal_regios > 1 else "")
    if p.techniekarm():
        return f"{r.arm_term.capitalize()}e regio: geen bedrag per leerling. {grenzen}{som}"
    telt = (f"{getal(bl)} leerlingen in de vijf technische profielen (leerjaar 3-4 "
            f"{', '.join(r.budget_leerwegen)}) tellen mee voor het maximum. ")
    if r.bedrag_per_leerling is None:
        return (f"{telt}De regeling {r.naam} kent geen bedrag per leerling: het maximum van een techniekregio is "
                f"{r.maximum_techniekregio} (bron: {r.bedrag_bron}). {grenzen}{som}")
    ind = budget_indicatie_eur(p) or 0
    bedragen = ", ".join(f"{lw} {euro(b)}" for lw, b in r.bedrag_per_leerling.items())
    return (f"{telt}Indicatie per jaar: {euro(ind)} ({bedragen} per leerling; bron: {r.bedrag_bron}); "
            f"een indicatie, geen toegekend budget. {grenzen}{som}")


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


def techniekarm_tekst(p) -> str:
    """The verdict under the round the portrait applies, and the other round's where it differs."""
    d = p.definitie
    a = p.techniekaandeel()
    if a is None:
        return "Geen vmbo-leerlingen in leerjaar 3-4: het techniekaandeel is niet te bepalen."
    tekst = f"Regeling {d.ronde}: techniekaandeel {aandeel(a)}, {d.omschrijving}. Bron: {d.bron}."
    for ronde, r in p.per_ronde().items():
        if ronde != d.ronde and r["techniekarm"] is not None and r["techniekarm"] != p.techniekarm():
            andere = rules.DEFINITIES[r["definitie"]]
            term = rules.RONDES[ronde].arm_term
            tekst += (f" Let op: volgens de regeling {ronde} ({andere.omschrijving.split(';')[0]}) is het aandeel "
                      f"{aandeel(r['techniekaandeel'])} en is de selectie {'wel' if r['techniekarm'] else 'niet'} "
                      f"{term}.")
    return tekst


def regels(p) -> list[Regeluitkomst]:
    arm = p.techniekarm()
    term = rules.ronde_van(p.definitie).arm_term
    uit = [Regeluitkomst("techniekarm", arm, techniekarm_tekst(p))]
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
        (f"{term.capitalize()}e regio: elke deelnemende school mag penvoerder zijn. " if arm else
         "Alleen een school met technische profielen mag penvoerder zijn. ")
        + (f"Mogelijke penvoerders: {', '.join(pv[:15])}" + (f" en nog {len(pv) - 15}" if len(pv) > 15 else "") + "."
           if pv else "Geen enkele vestiging komt in aanmerking.")))
    uit.append(Regeluitkomst("budget", budget_leerlingen(p), budget_tekst(p, len(p.regios))))
    return uit
