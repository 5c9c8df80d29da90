"""HTML from Jinja2 templates (views/sjablonen/), autoescaped, with the Dutch number filters of
regioportret.format. The dashboard and the static site render the same panel templates."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from markupsafe import Markup

from .. import format as fmt
from .. import rules
from . import palet


def profiel_label(code) -> str:
    """'MTR' -> 'M&T'; a row that is not a profiel keeps its own label."""
    return rules.PROFIEL_AFKORTING.get(code, str(code))


def profiel_naam(code) -> str:
    """'MTR' -> 'M&T Mobiliteit en transport'."""
    return rules.PROFIELNAMEN.get(code, str(code))


def _bytecode_cache():
    """The templates compiled once for every process (each page's kernel compiled all of them
    again, about 0.2 s of a page's start); Jinja2 keys each file by its source, so a changed
    template is compiled anew. None where the cache folder cannot be written."""
    from jinja2 import FileSystemBytecodeCache

    from ..store import cache_schrijfbaar, cachemap

    if not cache_schrijfbaar():
        return None
    map_ = cachemap() / "sjablonen"
    try:
        map_.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None

    class Stil(FileSystemBytecodeCache):
        """A compiled template that cannot be written (a full disk) is simply not kept."""

        def dump_bytecode(self, bucket):
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

    return Stil(str(map_))


@cache
def omgeving():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "sjablonen"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      bytecode_cache=_bytecode_cache())
    env.filters.update(getal=fmt.getal, procent=fmt.procent, aandeel=fmt.aandeel, euro=fmt.euro, km=fmt.km, verschil=fmt.verschil, procentpunt=fmt.procentpunt,
                       verandering=lambda x: fmt.verandering(x["punt"], x["laag"], x["hoog"]),
                       prognosepunt=lambda x: fmt.prognosepunt(x.punt, x.onder, x.boven),
                       decimaal=fmt.decimaal, hoofdletter=lambda x: str(x)[:1].upper() + str(x)[1:], ja_nee=lambda x: rules.JA_NEE.get(x, "–"), profiel=profiel_label,
                       profielnaam=profiel_naam)
    env.globals.update(rules=rules, palet=palet, LEERWEGEN=rules.LEERWEGEN,
                       TECHNISCHE_PROFIELEN=rules.TECHNISCHE_PROFIELEN, zip=zip)
    return env


def render(naam: str, **waarden) -> str:
    return omgeving().get_template(naam).render(**waarden)


def veilig(html: str) -> Markup:
    """Mark HTML this package built itself (an SVG chart) as safe to include."""
    return Markup(html)
