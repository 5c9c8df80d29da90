"""Vragen en antwoorden next to the figures: what a region asks when it reads its portrait.

The numbers in the answers come from rules.py, so the text cannot drift from the rules applied.
"""

from __future__ import annotations

from .. import rules
from ..format import euro


def vragen() -> list[tuple[str, str]]:
    drempel = f"{round(100 * rules.TECHNIEKARM_DREMPEL)}%"
    oud, nieuw = rules.RONDES["2020-2023"], rules.RONDES["2025-2028"]
    tech = ", ".join(rules.PROFIEL_AFKORTING[c] for c in rules.TECHNISCHE_PROFIELEN)
    return [
        ("Wat is een techniekarme (techniekluwe) regio?",
         f"Een regio waar minder dan {drempel} van de vmbo-leerlingen in leerjaar 3-4 een van de vijf technische "
         f"profielen volgt ({tech}). De regeling 2025-2028 noemt zo'n regio techniekluw en telt alleen de "
         "leerlingen van BB, KB en GL (beroepsgericht vmbo, art. 1.1); onder de regeling 2020-2023 telden ook de "
         "TL-leerlingen mee in de noemer. Waar de twee uitkomsten verschillen, toont het portret ze allebei. "
         f"Budget: in 2020-2023 {euro(oud.arm_budget_eur[0])} tot {euro(oud.arm_budget_eur[1])} per techniekarme "
         f"regio, in 2025-2028 hoogstens {euro(nieuw.arm_budget_eur[1])} per techniekluwe regio. Een plan dat "
         "tekortschiet kan niet opnieuw worden ingediend en de plannen worden gerangschikt. Het plan hoeft geen "
         "technische profielen te starten, maar moet de doorstroom naar technisch mbo en technische banen "
         "stimuleren."),
        ("Welke leerlingen tellen mee voor het maximale budget?",
         "Alleen leerlingen in de vijf technische profielen, in leerjaar 3-4 van BB, KB en GL, op de teldatum "
         "(1 oktober). Leerlingen in andere profielen en in TL tellen niet mee. In 2020-2023 gold een bedrag per "
         "leerling (het portret geeft daarmee een indicatie per jaar); in 2025-2028 noemt bijlage 3 van de regeling "
         "een vast maximum per techniekregio. Het portret noemt geen toegekend budget."),
        ("Wat telt als bedrijf?",
         "Elke werkgever: naast bedrijven ook bijvoorbeeld woningcorporaties, ziekenhuizen en andere instellingen. "
         "Bedrijven staan niet op de kaart; alleen de vmbo-scholen."),
        ("Waarom tellen TL en het basisonderwijs mee in het plan?",
         "Plannen worden beoordeeld op hoe ze techniek in de hele regio stimuleren: ook in het primair onderwijs, "
         "de theoretische leerweg (TL) en andere vmbo-profielen die met techniek werken. TL-leerlingen tellen "
         "in de regeling 2020-2023 mee in het techniekaandeel (de noemer), in 2025-2028 niet; voor het budget "
         "tellen ze nooit mee."),
        ("Mogen regio's overlappen?",
         "Scholen vormen zelf een regio, ook over gemeentegrenzen heen. Vestigingen van één school mogen in "
         "verschillende regio's zitten, maar elke vestiging hoort bij één regio. Regio's horen elkaar niet te "
         "overlappen; aan de randen kan het voorkomen."),
        ("Hoeveel scholen moeten samenwerken?",
         f"Normaal minstens {rules.MINIMUM_VESTIGINGEN_MET_TECHNIEK} scholen met technische profielen, samen met "
         "minstens één mbo-instelling en bedrijven. Heeft een regio er maar één, dan mag die samenwerken met andere "
         "vmbo-scholen; afwijken kan met een toelichting. Alleen een school met technische profielen kan "
         "penvoerder zijn, behalve in een techniekarme regio."),
        ("Waar komen de cijfers vandaan?",
         "Uit de open onderwijsdata van DUO: leerlingen per vestiging op 1 oktober (de teldatum) en de "
         "examenkandidaten per schooljaar. DUO vervangt aantallen onder de 5 door '<5'; die cellen tellen niet mee "
         "en het portret zegt hoeveel het er zijn."),
    ]


def qa_html() -> str:
    from .panelen import qa

    return qa()
