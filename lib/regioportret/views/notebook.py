"""Helpers for notebook pages: the query string, Dutch error boxes, overview tables."""

from __future__ import annotations

import html

from . import palet
from .panelen import banner


def query_string() -> str:
    """The page's query string under Voilà (waits for the request in a preheated kernel)."""
    try:
        from voila.utils import get_query_string
    except ImportError:
        return ""
    return get_query_string() or ""


MAX_QUERY = 300  # characters of one value in the page address


def query_waarde(naam: str, standaard=None):
    """One value from the page's address (?naam=...), checked for length: an address a visitor
    typed or forged never reaches the model unbounded."""
    from urllib.parse import parse_qs

    from ..errors import SelectieFout

    waarde = parse_qs(query_string()).get(naam, [None])[0]
    if waarde is None or waarde == "":
        return standaard
    if len(waarde) > MAX_QUERY:
        raise SelectieFout(f"De waarde van '{naam}' in het adres is te lang ({len(waarde)} tekens; hoogstens "
                           f"{MAX_QUERY}).")
    return waarde


def foutmelding(e: Exception) -> str:
    return (f'<div class="rp-fout" style="border:1px solid {palet.FOUT_RAND};background:{palet.FOUT_ACHTERGROND};'
            'padding:8px 12px;margin:6px 0">'
            f"<b>Dit lukt niet.</b> {html.escape(str(e))}</div>")


def _display(stuk: str) -> None:
    from IPython.display import HTML, display

    display(HTML(stuk))


def toon_banner(ctx) -> None:
    """The demo banner of a context's data (nothing for real data)."""
    _display(banner(ctx.demo))
