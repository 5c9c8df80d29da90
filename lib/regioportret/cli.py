"""`regioportret` command line: portraits as JSON, and the data steps (build, fetch, demo).

Bad input exits with status 1 and one paragraph naming file, line and column; never a
traceback (set REGIOPORTRET_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import rules
from .errors import RegioportretError

BESTANDSFOUTEN = {FileNotFoundError: "bestaat niet", IsADirectoryError: "is een map, geen bestand",
                  NotADirectoryError: "is geen map", PermissionError: "geen toegang (leesrechten)"}


def _data_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", help="map met ruwe of verwerkte data (standaard: $REGIOPORTRET_DATA of de demodata)")
    p.add_argument("--indeling", help="regio-indeling CSV (regionummer;regionaam;vestigingscode)")
    p.add_argument("--jaar", type=int, help="teldatumjaar (standaard: het laatste in de data)")
    p.add_argument("--definitie", choices=[*rules.DEFINITIES, *rules.RONDES], default=None,
                   help="regelingsronde (2020-2023 of 2025-2028) of de noemer van het techniekaandeel "
                        f"(alle_vmbo = 2020-2023, beroepsgericht = 2025-2028); standaard {rules.STANDAARD_RONDE}")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="regioportret", description="Regioportretten Sterk Techniekonderwijs")
    sub = ap.add_subparsers(dest="opdracht", required=True)

    p = sub.add_parser("portret", help="kerncijfers van één of meer regio's samen (of het hele land)")
    _data_args(p)
    p.add_argument("--regio", help="regionummer(s), bv. 12 of 12,14 (zonder: alle data)")
    p.add_argument("--scenario", help="scenario CSV (vestigingscode;profiel;wijziging, wijziging stopt of start): "
                                      "de kerncijfers en afstanden nu en met het scenario")

    r = sub.add_parser("regios", help="kerncijfers per regio van de actieve indeling")
    _data_args(r)

    pr = sub.add_parser("prognose", help="prognose van leerlingen (of examenkandidaten) met backtest")
    pr.add_argument("--data", help="map met ruwe of verwerkte data (standaard: $REGIOPORTRET_DATA of de demodata)")
    pr.add_argument("--indeling", help="regio-indeling CSV (regionummer;regionaam;vestigingscode)")
    pr.add_argument("--regio", help="regionummer(s), bv. 12 of 12,14 (zonder: het hele land)")
    pr.add_argument("--horizon", type=int, default=5, help="aantal jaren vooruit, 1-10 (standaard 5)")
    pr.add_argument("--backtest", action="store_true",
                    help="de fouttabel van de backtest (MAE, MAPE, bias per niveau en horizon) in plaats van de prognose")
    pr.add_argument("--oorsprong", type=int,
                    help="laatste jaar met echte tellingen in DUO's leerlingenprognose (standaard: afgeleid)")
    pr.add_argument("--json", action="store_true", help="uitvoer als JSON")

    rd = sub.add_parser("render", help="het portret van een selectie als A4-pdf")
    rd.add_argument("--data", help="map met ruwe of verwerkte data (standaard: $REGIOPORTRET_DATA of de demodata)")
    rd.add_argument("--indeling", help="regio-indeling CSV (regionummer;regionaam;vestigingscode)")
    rd.add_argument("--regio", help="regionummer(s), bv. 12 of 12,14")
    rd.add_argument("--all", action="store_true", help="alle regio's: een statische site (index, html en pdf per regio)")
    rd.add_argument("--out", help="uitvoermap voor --all")
    rd.add_argument("--werkers", type=int, help="processen naast elkaar voor --all (standaard: één per kern)")
    rd.add_argument("--jaar", type=int, help="teldatumjaar (standaard: het laatste in de data)")
    rd.add_argument("--pdf", help="uitvoerbestand (.pdf) voor --regio")

    ex = sub.add_parser("export", help="de precieze aantallen per vestiging als Excel (of CSV)")
    ex.add_argument("--data", help="map met ruwe of verwerkte data (standaard: $REGIOPORTRET_DATA of de demodata)")
    ex.add_argument("--indeling", help="regio-indeling CSV (regionummer;regionaam;vestigingscode)")
    ex.add_argument("--regio", help="regionummer(s), bv. 12 of 12,14 (zonder: alle data)")
    ex.add_argument("--jaar", type=int, help="teldatumjaar (standaard: het laatste in de data)")
    ex.add_argument("--xlsx", help="uitvoerbestand (.xlsx)")
    ex.add_argument("--csv", help="uitvoermap voor één CSV per blad")

    d = sub.add_parser("data", help="data bouwen, ophalen of demodata maken")
    dsub = d.add_subparsers(dest="stap", required=True)
    b = dsub.add_parser("build", help="ruwe map -> verwerkte dataset (parquet), atomair")
    b.add_argument("--raw", required=True)
    b.add_argument("--out", required=True)
    c = dsub.add_parser("cache", help="de cache vullen die de pagina's lezen (de app doet dit bij het starten)")
    _data_args(c)
    f = dsub.add_parser("fetch", help="officiële bestanden downloaden (DUO, CBS/PDOK)")
    f.add_argument("--out", required=True)
    f.add_argument("--jaren", help="teldatumjaren voor de leerlingenbestanden, bv. 2019-2024")
    f.add_argument("--cbs-tabellen", help="CBS StatLine-tabellen, bv. 83582NED,85494NED (standaard: die in docs/data.md)")
    f.add_argument("--uwv-url", help="adres van UWV's spanningsindicator (Excel/CSV); UWV wisselt het per editie")
    f.add_argument("--basis-url", help=argparse.SUPPRESS)  # tests: serve fixtures locally
    m = dsub.add_parser("demo", help="demodata (fictieve scholen) genereren met vaste seed")
    m.add_argument("--out", required=True)
    m.add_argument("--seed", type=int, default=None)

    rp = sub.add_parser("reproduce", help="alle notebooks opnieuw uitvoeren met papermill")
    rp.add_argument("--out", default="build/notebooks")
    rp.add_argument("--data", default=None)
    return ap


def _context(args, voortgang: bool = False):
    from .context import open_context

    ctx = open_context(args.data, args.indeling, getattr(args, "jaar", None), getattr(args, "definitie", None),
                       voortgang=voortgang)
    for regel in niet_gelezen(ctx.ds.manifest):
        print(f"regioportret: let op, niet gelezen: {regel}", file=sys.stderr)
    return ctx


def niet_gelezen(manifest: dict) -> list[str]:
    """The data files in the folder that no reader recognised (a CSV with another header): a
    user who put a file there meant it to count, so every command says it was left out."""
    from .sources import DATA_EXTENSIES

    return [f"{o['pad']}: {o['reden']}" for o in manifest.get("overgeslagen", [])
            if Path(o["pad"]).suffix.lower() in DATA_EXTENSIES and o["reden"].startswith("geen bekend formaat")]


def _uitvoeren(args) -> int:
    if args.opdracht in ("portret", "regios"):
        ctx = _context(args, voortgang=not args.json)
        if args.opdracht == "portret":
            from .views.weergave import portret_tekst, scenario_regels

            s = ctx.selectie(args.regio)
            d = s.als_dict()
            extra = []
            if args.scenario:
                from .model.scenario import van_tabel
                from .sources.scenario import lees_scenario

                u = ctx.scenario(van_tabel(lees_scenario(Path(args.scenario))), regios=args.regio)
                d["scenario"] = u.als_dict()
                extra = scenario_regels(u)
            print(json.dumps(d, ensure_ascii=False, indent=1) if args.json else
                  portret_tekst(s, extra))
        else:
            from .views.weergave import portret_tekst

            lijst, teksten = [], []
            for s in ctx.regio_selecties():
                d = s.als_dict()
                lijst.append({"regionummer": d["regios"][0]["regionummer"], "regionaam": d["regios"][0]["regionaam"],
                              **d})
                teksten.append(portret_tekst(s))
            print(json.dumps(lijst, ensure_ascii=False, indent=1) if args.json else "\n\n".join(teksten))
        return 0
    if args.opdracht in ("render", "export"):
        from .errors import SelectieFout

        if args.opdracht == "export" and not (args.xlsx or args.csv):
            raise SelectieFout("geef --xlsx BESTAND en/of --csv MAP op")
        if args.opdracht == "render" and not ((args.all and args.out) or (args.regio and args.pdf)):
            raise SelectieFout("geef --regio N --pdf BESTAND, of --all --out MAP")
        ctx = _context(args)
        from .store import vrij_uitvoerbestand

        invoer = [ctx.ds.map, ctx.ds.manifest.get("raw"), args.indeling]
        for optie in ("pdf", "xlsx"):  # checked before the work, so a refusal costs nothing
            if getattr(args, optie, None):
                setattr(args, optie, vrij_uitvoerbestand(Path(getattr(args, optie)), f"--{optie}", invoer))
        if args.opdracht == "render" and args.all:
            from .views.site import render_alles

            print(f"Statische site geschreven naar {render_alles(ctx, Path(args.out), werkers=args.werkers)} "
                  "(begin bij index.html)")
            return 0
        s = ctx.selectie(args.regio)
        if args.opdracht == "render":
            from .views.pdf import portret_pdf, schrijf_pdf

            pad = schrijf_pdf(portret_pdf(s, ctx.kaartlagen, ctx.scholen), Path(args.pdf))
            print(f"Portret geschreven naar {pad}")
        else:
            from .views.export import samenvatting, schrijf_csv, schrijf_xlsx

            bladen = ctx.aantallen(s)
            if args.xlsx:
                print(f"Excel geschreven naar {schrijf_xlsx(bladen, Path(args.xlsx))} ({samenvatting(bladen)})")
            if args.csv:
                print("CSV geschreven: " + ", ".join(str(x) for x in schrijf_csv(bladen, Path(args.csv), invoer)))
        return 0
    if args.opdracht == "prognose":
        from .views.prognose import prognose_uitvoer

        print(prognose_uitvoer(_context(args, voortgang=not args.json), args.regio, args.horizon, args.backtest,
                               args.oorsprong, args.json))
        return 0
    if args.opdracht == "data":
        if args.stap == "build":
            from .store import bouw

            out = bouw(Path(args.raw), Path(args.out), voortgang=True)
            m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
            print(f"Verwerkte data geschreven naar {out}: {len(m['bronnen'])} bestanden gelezen, "
                  f"leerlingen {', '.join(map(str, m['jaren']['leerlingen']))}")
            for o in m["overgeslagen"]:
                print(f"  overgeslagen: {o['pad']} ({o['reden']})")
            for w in m["waarschuwingen"]:
                print(f"  let op: {w}")
        elif args.stap == "cache":
            ctx = _context(args, voortgang=True)
            ctx.voorbereiden()
            from .store import cache_schrijfbaar, cachemap

            if cache_schrijfbaar():
                print(f"Cache gevuld voor {ctx.ds.map} ({ctx.indeling.label}, teldatum {ctx.teldatum})")
            else:
                print(f"De cache {cachemap()} kan niet worden geschreven; alles werkt zonder, maar trager.")
        elif args.stap == "fetch":
            from .fetch import haal_op

            haal_op(Path(args.out), jaren=args.jaren, basis_url=args.basis_url,
                    cbs_tabellen=args.cbs_tabellen.split(",") if args.cbs_tabellen else None, uwv_url=args.uwv_url)
        elif args.stap == "demo":
            from .demo import SEED, schrijf_demo

            out = schrijf_demo(Path(args.out), seed=SEED if args.seed is None else args.seed)
            print(f"Demodata (fictieve scholen) geschreven naar {out}")
        return 0
    if args.opdracht == "reproduce":
        from .views.reproduce import reproduceer

        reproduceer(Path(args.out), args.data)
        return 0
    return 2


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return _uitvoeren(args)
    except RegioportretError as e:
        print(f"regioportret: {e}", file=sys.stderr)
        return 1
    except OSError as e:  # a file the user named: missing, a folder, unreadable
        if e.filename is None:
            return _onverwacht(e)
        reden = BESTANDSFOUTEN.get(type(e), "kan niet gelezen worden")
        print(f"regioportret: {e.filename}: {reden}. Geef een bestaand, leesbaar bestand op.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("regioportret: afgebroken", file=sys.stderr)
        return 130
    except Exception as e:  # never a traceback for users; REGIOPORTRET_DEBUG=1 shows one
        return _onverwacht(e)


def _onverwacht(e: Exception) -> int:
    if os.environ.get("REGIOPORTRET_DEBUG"):
        raise e
    print(f"regioportret: onverwachte fout ({type(e).__name__}: {e}). "
          "Zet REGIOPORTRET_DEBUG=1 voor details en meld dit als issue.", file=sys.stderr)
    return 3


if __name__ == "__main__":
    sys.exit(main())
