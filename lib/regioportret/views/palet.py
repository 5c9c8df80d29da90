"""The one colour palette of every surface (page, PDF, site, map, charts)."""

from ..rules import TECHNIEKARM_DREMPEL

TECHNIEK = "#1f5fa8"  # the five technical profielen: bars, lines
OVERIG = "#b8c2cc"  # the other profielen
BAND = "#c9d9ef"  # the forecast band
RASTER = "#e3e6ea"  # grid lines
TEKST = "#1b2a3a"
BRON = "#555555"  # source lines
GEKOZEN = "#e8590c"  # the ticked regions in a ranking
KAART_TECHNIEK = "#d9480f"  # school dots with a technical profiel
KAART_OVERIG = "#495057"  # other school dots
KAART_SELECTIE = "#c92a2a"  # the builder's chosen dots and its chosen region
# The ticked regions on the dashboard map: a black border and a hatching, which no colouring
# class uses (the distance classes end in KAART_SELECTIE's red, techniekarm is pink).
SELECTIE_RAND = "#000000"
SELECTIE_ARCERING = "#000000"
REGIO_RAND = "#2b4a6f"
REGIO_VULLING = "#7fa7d9"
GEMEENTE_RAND = "#9aa5b1"
DEMO_ACHTERGROND = "#fff3cd"
DEMO_RAND = "#e0b400"
DEMO_TEKST = "#b7791f"
SPANNING = {"zeer ruim": "#d8e8f6", "ruim": "#e9f1f9", "gemiddeld": "#f4f4f4", "krap": "#fde2c8",
            "zeer krap": "#f8b98a"}
FOUT_RAND = "#cc0000"  # a Dutch error message box
FOUT_ACHTERGROND = "#ffeeee"
GOED = "#1a6b2a"  # a form that is complete
LET_OP_ACHTERGROND = "#fff8e1"  # a warning (overlap in the builder)
KAART_ACHTERGROND = "#dfe7ef"
KAART_VAK = "#f8f9fc"  # the key-figure cards
RAND_LICHT = "#ccccdd"

# Map colouring (a choice on the dashboard, off by default): (upper bound, colour) per class.
ARM = "#d6336c"  # a techniekarme (techniekluwe) region
# The first class ends at the techniekarm threshold (rules.TECHNIEKARM_DREMPEL), the rule's own number.
AANDEEL_KLASSEN = ((TECHNIEKARM_DREMPEL, ARM), (0.15, "#c5d9f1"), (0.20, "#8fb3e0"), (0.25, "#4f86c6"),
                   (float("inf"), "#1f4e8c"))
AFSTAND_KLASSEN = ((5, "#2b8a3e"), (10, "#94d82d"), (15, "#fcc419"), (20, "#f76707"), (float("inf"), "#c92a2a"))

# Smaller parts of pages, charts and maps.
WIT = "#ffffff"  # map fills under the colouring, dot borders, table cells without a class
LABEL = "#444455"  # a key-figure card's label
BAND_LEGENDA = "#7a8fa8"  # the band's mark in a chart's legend
LIJN_NEUTRAAL = "#888888"  # a reference line (forecast = actual)
LET_OP_TEKST = "#3d2b00"  # the connection notice (views.verbinding)
LET_OP_RAND = "#8a6d00"
STATISCH_GEMEENTE = "#c8ced6"  # the static maps (PDF, site): gemeente outlines
STATISCH_REGIO = "#8aa0b8"  # their region outlines
STATISCH_GEKOZEN = "#2b6cb0"  # their chosen regions' fill
