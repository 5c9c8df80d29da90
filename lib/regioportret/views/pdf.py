"""The portrait and the form as A4 PDFs, printed by WeasyPrint from the same panel templates as
the pages (the frame and its print CSS are `sjablonen/document.html`): what a region hands in
says what it saw on screen, word for word. No internet needed: the map is an embedded PNG."""

from __future__ import annotations

import base64
import logging
from pathlib import Path

from ..errors import RegioportretError
from ..model.selectie import Selectie
from ..store import schrijf_atomair
from . import grafiek, panelen
from .sjabloon import render, veilig


def kaart_png(s: Selectie, lagen, scholen) -> bytes:
    """The static map as PNG bytes (the PDF and the static site share one drawing)."""
    return grafiek.png(grafiek.kaart(lagen, scholen, [r["regionummer"] for r in s.regios],
                                     None if s.landelijk else s.codes))


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def html_naar_pdf(html: str) -> bytes:
    """A4 PDF bytes of one of this package's documents (its language, title and author come from
    the HTML: /Lang nl, so a screen reader reads it as Dutch)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as e:  # OSError: the Pango library is missing
        raise RegioportretError("Pdf maken lukt niet op deze computer: WeasyPrint of de Pango-bibliotheek "
                                f"ontbreekt ({e}). Zie README.md (installatie).") from e
    # The panels' CSS is the pages' own; WeasyPrint names every screen-only property it skips
    # (overflow-x for scrolling tables), once per panel: noise in the server's log, not a fault.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return HTML(string=html).write_pdf()


def portret_html(s: Selectie, kaart: bytes, delen: list[str] | None = None) -> str:
    """The portrait as one printable HTML document: the site's panels, in the site's order
    (`delen`: those panels when the caller rendered them already, as the site does)."""
    voet = f"Regioportret – {s.titel} – teldatum {s.teldatum}" + (" – DEMODATA" if s.demo else "")
    return render("portret_document.html", s=s, titel=f"Regioportret – {s.titel}", demo=s.demo, voet=voet,
                  onderwerp="Regioportret Sterk Techniekonderwijs", kop=f"Regioportret Sterk Techniekonderwijs – {s.titel}",
                  kaart=data_url(kaart), panelen=[veilig(d) for d in (delen if delen is not None else panelen.alle(s))])


def portret_pdf(s: Selectie, lagen, scholen, kaart: bytes | None = None) -> bytes:
    """The A4 PDF of bundle `s`; `lagen`/`scholen`: the context's map layers and school dots,
    `kaart`: the map PNG when the caller already drew it."""
    return html_naar_pdf(portret_html(s, kaart or kaart_png(s, lagen, scholen)))


def schrijf_pdf(inhoud: bytes, pad: Path) -> Path:
    return schrijf_atomair(Path(pad), inhoud)
