"""Helpers for notebook pages: the query string, Dutch error boxes, overview tables."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable

from .. import rules
from ..errors import RegioportretError
from .panelen import banner

_VERZOEK_ONTVANGEN = False


def query_string() -> str:
    """The page's query string under Voilà.

    Voilà puts it in the kernel's environment; a preheated kernel first waits for its visitor's
    request on Voilà's query socket. Importing `voila.utils` for this would load the whole Jupyter
    server into every page's kernel (about 3.5 s of CPU, mostly jsonschema's format grammars), so
    this does the same two steps itself with `websockets`, which Voilà already depends on."""
    import os

    global _VERZOEK_ONTVANGEN
    if os.environ.get("VOILA_PREHEAT", "False") != "False" and not _VERZOEK_ONTVANGEN:
        _wacht_op_verzoek(os.environ)
        _VERZOEK_ONTVANGEN = True  # the socket sends once: a second wait would never end
    return os.environ.get("QUERY_STRING") or ""


def wacht_op_bezoeker() -> bool:
    """In a preheated kernel that has not met its visitor yet: wait for the visitor and say True.
    A page that failed to open while it waited in the pool tries again then, so a visitor never
    gets an error that was true only when the kernel was started (the data briefly away)."""
    import os

    if os.environ.get("VOILA_PREHEAT", "False") == "False" or _VERZOEK_ONTVANGEN:
        return False
    query_string()
    return True


def _wacht_op_verzoek(env) -> None:
    """Wait, as voila.utils.wait_for_request does, until Voilà hands this preheated kernel to a
    visitor, and put that request's variables (QUERY_STRING, ...) in the environment."""
    import asyncio
    import json
    import os

    import websockets

    basis = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    url = (f"{env.get('VOILA_WS_PROTOCOL', 'ws')}://{env.get('VOILA_APP_IP', '127.0.0.1')}:"
           f"{env.get('VOILA_APP_PORT', '8866')}{basis}voila/query/{env.get('VOILA_KERNEL_ID')}")

    async def ontvang():
        async with websockets.connect(url, open_timeout=5) as ws:
            return await ws.recv()  # no timeout: a preheated kernel waits for its visitor

    try:
        # a thread of its own: the kernel's own event loop is already running
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as pool:
            verzoek = pool.submit(asyncio.run, ontvang()).result()
    except (OSError, TimeoutError, websockets.exceptions.WebSocketException) as fout:
        LOG.warning("geen verzoek van Voilà ontvangen (%s): %s", url, fout)
        return
    for k, v in json.loads(verzoek).items():
        os.environ[k] = v


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

# The regulation rounds a page offers (the round in force first) and its address parameter.
RONDE_KEUZES = [(f"regeling {r.naam} ({r.arm_term})", r.naam) for r in reversed(rules.RONDES.values())]


def kies_ronde(ronde: str | None) -> str:
    """The regulation round of ?ronde= (default: the round in force), checked."""
    from ..errors import SelectieFout

    if not ronde:
        return rules.STANDAARD_RONDE
    if ronde not in rules.RONDES:
        raise SelectieFout(f"Onbekende regeling '{ronde}'. Kies een van: {', '.join(rules.RONDES)}.")
    return ronde


def ronde_in_adres(ronde: str) -> str:
    """The value of ?ronde= for a round: empty for the round in force (a short link)."""
    return "" if ronde == rules.STANDAARD_RONDE else ronde


def stil_naar_de_pagina() -> None:
    """In a page's kernel, errors in widget messages (the comm layer logs them with their
    traceback) go to the server's log, never to the page: a forged message must not send
    source lines or paths to the browser."""
    for naam in ("Comm", "regioportret"):
        logger = logging.getLogger(naam)
        logger.handlers = [logging.StreamHandler(sys.__stderr__)]
        logger.propagate = False


def begin_pagina(extra: str = "") -> None:
    """The start of every app page: its errors go to the server's log, and it watches its
    connection to the server (views.verbinding; `extra`: a sentence for the notice)."""
    from .verbinding import toon_verbindingswacht

    stil_naar_de_pagina()
    toon_verbindingswacht(extra)


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
    """A Dutch error box (role=alert: a screen reader says it at once)."""
    from .sjabloon import render

    return render("fout.html", tekst=str(e))


def _display(stuk: str) -> None:
    from IPython.display import HTML, display

    display(HTML(stuk))


def toon_banner(ctx) -> None:
    """The demo banner of a context's data (nothing for real data)."""
    _display(banner(ctx.demo))
