"""Labour-market figures of a selection: its arbeidsmarktregio('s) against the country.

A region is linked to the arbeidsmarktregio('s) of its vestigingen (weights: leerjaar 3-4
students, model/regels.py). Per arbeidsmarktregio and nationally: jobs of employees in the
technical sectors and their share, the unemployment rate (CBS), the tension per technical
beroepsklasse (UWV), and the doorstroom of the selection's vmbo students to technical mbo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from .. import rules

NL = "NL01"


def sbi_code(sector: str) -> str:
    """'B-F Nijverheid en energie' -> 'B-F'; '' for no sector."""
    return sector.split(" ", 1)[0] if sector else ""


def _naam(s: str) -> str:
    """Arbeidsmarktregio names as CBS ('Groningen (AM)') and UWV ('Groningen') write them."""
    s = re.sub(r"\((am|demo|arbeidsmarktregio)\)", "", str(s).lower())
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


@dataclass
class Arbeidsmarktbeeld:
    regios: list[dict]  # code, naam, gewicht, leerlingen (from regels.arbeidsmarktregios)
    landelijk: bool
    banen: pd.DataFrame  # gebied, code, jaar, periode, banen, techniek, aandeel
    werkloosheid: pd.DataFrame  # gebied, code, jaar, periode, pct
    spanning: pd.DataFrame  # beroepsklasse x gebied: categorie
    doorstroom: pd.DataFrame  # profiel, naar_mbo, naar_techniek, aandeel, onderdrukt (selection and NL)
    bronnen: dict[str, list[str]] = field(default_factory=dict)  # 'cbs', 'uwv', 'doorstroom' -> files
    geladen: dict = field(default_factory=dict)  # which sources are in the data

    @property
    def doorstroom_onderdrukt(self) -> int:
        return int(self.doorstroom["onderdrukt"].sum()) if not self.doorstroom.empty else 0

    @property
    def leeg(self) -> bool:
        return not any(self.geladen.values())

    @property
    def per_gebied(self) -> pd.DataFrame:
        """Jobs and unemployment side by side, one row per area (every surface prints this one table)."""
        if self.banen.empty:
            return self.werkloosheid.assign(banen=None, techniek=None, aandeel=None)
        return self.banen.merge(self.werkloosheid[["code", "pct"]], on="code", how="outer")

    @property
    def doorstroom_per_profiel(self) -> tuple[list[str], list[tuple[str, list[tuple]]]]:
        """(areas: 'selectie' and/or 'landelijk', [(profiel, [(share to technical mbo, pupils to mbo)
        per area])]) in the order of the profielen."""
        from .. import rules

        d = self.doorstroom
        if d.empty:
            return [], []
        aandeel = d.pivot_table(index="profiel", columns="gebied", values="aandeel", aggfunc="first")
        n = d.pivot_table(index="profiel", columns="gebied", values="naar_mbo", aggfunc="first")
        kolommen = [g for g in ("selectie", "landelijk") if g in aandeel.columns]
        return kolommen, [(pr, [(aandeel.at[pr, g], None if pd.isna(n.at[pr, g]) else n.at[pr, g]) for g in kolommen])
                          for pr in rules.PROFIELEN if pr in aandeel.index]

    def gewogen(self, tabel: pd.DataFrame, kolom: str) -> float | None:
        """Student-weighted mean over the selection's arbeidsmarktregio('s)."""
        if tabel.empty or not self.regios:
            return None
        w = {r["code"]: r["gewicht"] for r in self.regios}
        t = tabel[tabel["code"].isin(w) & tabel[kolom].notna()]
        if t.empty:
            return None
        gewichten = t["code"].map(w)
        return float((t[kolom] * gewichten).sum() / gewichten.sum())

    def landelijk_cijfer(self, tabel: pd.DataFrame, kolom: str) -> float | None:
        r = tabel[tabel["code"] == NL]
        return None if r.empty or pd.isna(r[kolom].iloc[0]) else float(r[kolom].iloc[0])

    @cached_property
    def kern(self) -> dict[str, float | None]:
        """The selection's two headline figures next to the country's, computed once for every surface."""
        return {"banen_selectie": self.gewogen(self.banen, "aandeel"),
                "banen_landelijk": self.landelijk_cijfer(self.banen, "aandeel"),
                "werkloosheid_selectie": self.gewogen(self.werkloosheid, "pct"),
                "werkloosheid_landelijk": self.landelijk_cijfer(self.werkloosheid, "pct")}

    def als_dict(self) -> dict:
        def rijen(t):
            return [{k: (None if isinstance(v, float) and pd.isna(v) else v) for k, v in r.items()}
                    for r in t.to_dict("records")]

        k = self.kern
        return {
            "geladen": self.geladen,
            "arbeidsmarktregios": self.regios,
            "techniek_aandeel_banen": {"selectie": k["banen_selectie"], "landelijk": k["banen_landelijk"]},
            "werkloosheid_pct": {"selectie": k["werkloosheid_selectie"], "landelijk": k["werkloosheid_landelijk"]},
            "banen": rijen(self.banen), "werkloosheid": rijen(self.werkloosheid),
            "spanning_technische_beroepen": rijen(self.spanning.reset_index()) if not self.spanning.empty else [],
            "doorstroom": rijen(self.doorstroom), "definities": {
                "technische_sectoren": rules.TECHNISCHE_SECTOREN_TEKST,
                "technische_beroepen": "beroepssegmenten " + ", ".join(rules.TECHNISCHE_BEROEPSSEGMENTEN),
                "technisch_mbo": ", ".join(rules.TECHNISCHE_MBO_DOMEINEN)},
            "bronnen": self.bronnen,
        }


def _laatste(t: pd.DataFrame) -> pd.DataFrame:
    return t[t["jaar"] == t["jaar"].max()] if len(t) else t


def _banen(cbs: pd.DataFrame | None, codes: list[str]) -> pd.DataFrame:
    kolommen = ["gebied", "code", "jaar", "periode", "banen", "techniek", "aandeel"]
    if cbs is None:
        return pd.DataFrame(columns=kolommen)
    b = _laatste(cbs[(cbs["indicator"] == "banen") & cbs["regiocode"].isin(codes + [NL])])
    if b.empty:
        return pd.DataFrame(columns=kolommen)
    sbi = b["sector"].map(sbi_code)
    totaal = b[sbi.str.startswith("A-U")].groupby(["regiocode", "regionaam", "jaar", "periode"])["waarde"].sum(min_count=1)
    tech = b[sbi.isin(rules.TECHNISCHE_SECTOREN_SBI)].groupby(["regiocode", "regionaam", "jaar", "periode"])["waarde"].sum(
        min_count=1)
    t = pd.DataFrame({"banen": totaal, "techniek": tech.reindex(totaal.index)}).reset_index()
    t["aandeel"] = t["techniek"] / t["banen"]
    t = t.rename(columns={"regiocode": "code", "regionaam": "gebied"})
    return _volgorde(t, codes)[kolommen]


def _werkloosheid(cbs: pd.DataFrame | None, codes: list[str]) -> pd.DataFrame:
    kolommen = ["gebied", "code", "jaar", "periode", "pct"]
    if cbs is None:
        return pd.DataFrame(columns=kolommen)
    w = cbs[(cbs["indicator"] == "werkloosheid_pct") & cbs["regiocode"].isin(codes + [NL])]
    w = _laatste(w.dropna(subset=["waarde"]))
    t = w.rename(columns={"regiocode": "code", "regionaam": "gebied", "waarde": "pct"})
    return _volgorde(t, codes)[kolommen]


def _volgorde(t: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    rang = {c: i for i, c in enumerate(codes + [NL])}
    return t.assign(_r=t["code"].map(rang)).sort_values("_r").drop(columns="_r").reset_index(drop=True)


def _spanning(uwv: pd.DataFrame | None, regios: list[dict]) -> pd.DataFrame:
    """Technical beroepsklassen (rows) x the selection's arbeidsmarktregio('s) and Nederland."""
    if uwv is None or uwv.empty:
        return pd.DataFrame()
    u = uwv[uwv["technisch"]]
    if u["jaar"].notna().any():
        u = u[u["periode"] == u.loc[u["jaar"] == u["jaar"].max(), "periode"].max()]
    namen = {_naam(r["naam"]): r["naam"] for r in regios}
    namen[_naam("Nederland")] = "Nederland"
    u = u.assign(gebied=u["regio"].map(_naam).map(namen)).dropna(subset=["gebied"])
    if u.empty:
        return pd.DataFrame()
    u = u.assign(waarde_tekst=u["categorie"].where(u["categorie"] != "",
                                                   u["waarde"].map(lambda x: f"{x:.2f}".replace(".", ","))))
    t = u.pivot_table(index="beroepsklasse", columns="gebied", values="waarde_tekst", aggfunc="first")
    volgorde = [r["naam"] for r in regios if r["naam"] in t.columns] + (["Nederland"] if "Nederland" in t else [])
    t = t[volgorde]
    t.attrs["periode"] = str(u["periode"].iloc[0])
    return t


def _doorstroom(d: pd.DataFrame | None, vestigingen: list[str] | None) -> pd.DataFrame:
    kolommen = ["gebied", "profiel", "naar_mbo", "naar_techniek", "aandeel", "onderdrukt"]
    if d is None or d.empty:
        return pd.DataFrame(columns=kolommen)
    d = d[d["jaar"] == d["jaar"].max()] if d["jaar"].notna().any() else d
    delen = []
    for gebied, x in (("selectie", d if vestigingen is None else d[d["vestigingscode"].isin(vestigingen)]),
                      ("landelijk", d)):
        if vestigingen is None and gebied == "selectie":
            continue
        g = x.groupby("profiel").agg(naar_mbo=("aantal", "sum"), onderdrukt=("aantal_onderdrukt", "sum"))
        g["naar_techniek"] = x[x["technisch_mbo"]].groupby("profiel")["aantal"].sum().reindex(g.index, fill_value=0)
        g["aandeel"] = (g["naar_techniek"] / g["naar_mbo"]).where(g["naar_mbo"] > 0)
        delen.append(g.reset_index().assign(gebied=gebied))
    t = pd.concat(delen, ignore_index=True) if delen else pd.DataFrame(columns=kolommen)
    for k in ("naar_mbo", "naar_techniek", "onderdrukt"):
        t[k] = t[k].astype("int64")
    return t[kolommen]


def beeld(p, cbs: pd.DataFrame | None, uwv: pd.DataFrame | None, doorstroom: pd.DataFrame | None,
          arbeidsmarktregios: list[dict], bronnen: dict[str, list[str]]) -> Arbeidsmarktbeeld:
    """The labour-market picture of portrait `p` (a selection, or the country when p.landelijk),
    from the CBS, UWV and doorstroom tables of the dataset (each None when not loaded) and the
    selection's arbeidsmarktregio('s) (regels.arbeidsmarktregios)."""
    regios = [] if p.landelijk else list(arbeidsmarktregios)
    codes = [r["code"] for r in regios]
    vest = None if p.landelijk else list(p.tabel["vestigingscode"].unique())
    return Arbeidsmarktbeeld(
        regios=regios, landelijk=p.landelijk, banen=_banen(cbs, codes), werkloosheid=_werkloosheid(cbs, codes),
        spanning=_spanning(uwv, regios), doorstroom=_doorstroom(doorstroom, vest), bronnen=bronnen,
        geladen={"cbs": cbs is not None, "uwv": uwv is not None, "doorstroom": doorstroom is not None})
