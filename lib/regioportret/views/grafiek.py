"""Charts (matplotlib), with the source and teldatum in the figure itself."""

from __future__ import annotations

from .. import rules
from ..model.portret import Portret


def profielen_grafiek(p: Portret):
    import matplotlib.pyplot as plt

    prof = p.profielen()
    codes = list(prof)
    kleuren = ["#1f5fa8" if c in rules.TECHNISCHE_PROFIELEN else "#b8c2cc" for c in codes]
    fig, ax = plt.subplots(figsize=(8, 3.6))
    ax.bar([rules.PROFIEL_AFKORTING[c] for c in codes], [prof[c] for c in codes], color=kleuren)
    ax.set_ylabel("leerlingen leerjaar 3-4")
    ax.yaxis.set_major_formatter(lambda x, _: f"{int(x):,}".replace(",", "."))
    ax.set_title("Leerlingen per profiel (blauw: technisch)")
    bron = f"Bron: DUO, teldatum {p.teldatum}" + (" – DEMODATA, fictieve scholen" if p.demo else "")
    fig.text(0.01, 0.01, bron, fontsize=8, color="#555")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig
