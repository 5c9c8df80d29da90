"""Helpers for notebook pages: the query string, Dutch error boxes, overview tables."""

from __future__ import annotations

import functools
import html
import logging
import sys
from collections.abc import Callable

from ..errors import RegioportretError
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


def query_parameters() -> dict[str, str]:
    """The page's address parameters, read once: in a preheated kernel each read of the query
    string waits for the page's request, so a page with two parameters reads them together."""
    from urllib.parse import parse_qs

    return {k: v[0] for k, v in parse_qs(query_string()).items()}


def query_waarde(naam: str, standaard=None, parameters: dict[str, str] | None = None):
    """One value from the page's address (?naam=...), checked for length: an address a visitor
    typed or forged never reaches the model unbounded. `parameters`: query_parameters(), when
    the page reads more than one."""
    from ..errors import SelectieFout

    waarde = (query_parameters() if parameters is None else parameters).get(naam)
    if waarde is None or waarde == "":
        return standaard
    if len(waarde) > MAX_QUERY:
        raise SelectieFout(f"De waarde van '{naam}' in het adres is te lang ({len(waarde)} tekens; hoogstens "
                           f"{MAX_QUERY}).")
    return waarde


LOG = logging.getLogger("regioportret")


def stil_naar_de_pagina() -> None:
    """In a page's kernel, errors in widget messages (the comm layer logs them with their
    traceback) go to the server's log, never to the page: a forged message must not send
    source lines or paths to the browser."""
    for naam in ("Comm", "regioportret"):
        logger = logging.getLogger(naam)
        logger.handlers = [logging.StreamHandler(sys.__stderr__)]
        logger.propagate = False


def veilig(melding, functie: Callable) -> Callable:
    """A widget callback that never lets an exception reach the page: it is logged for the
    maintainer and the visitor reads a Dutch message in `melding`."""
    @functools.wraps(functie)
    def omhulsel(*args, **kwargs):
        try:
            return functie(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - whatever went wrong, the page shows a message
            LOG.exception("fout in een actie op de pagina")
            melding.value = foutmelding(e if isinstance(e, RegioportretError) else RegioportretError(
                "Dit lukte niet. Probeer het opnieuw, of laad de pagina opnieuw."))
    return omhulsel


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
