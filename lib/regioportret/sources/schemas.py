"""pandera schemas of the tidy tables: the contract between the readers and the model."""

from __future__ import annotations

import pandera.pandas as pa

from .. import rules

_VEST = pa.Column(str, pa.Check.str_matches(r"^[0-9A-Z]{4}[0-9]{2}$"))
_JAAR = pa.Column(int, pa.Check.in_range(1990, 2100))


def _telling(naam: str) -> dict:
    return {
        naam: pa.Column("Int64", pa.Check.ge(0), nullable=True),
        f"{naam}_onderdrukt": pa.Column(bool),
    }


def _consistent(tel: str) -> pa.Check:
    return pa.Check(lambda df: df[tel].isna() == df[f"{tel}_onderdrukt"],
                    error=f"{tel} is leeg precies waar {tel}_onderdrukt waar is")


LEERLINGEN = pa.DataFrameSchema(
    {
        "jaar": _JAAR,
        "vestigingscode": _VEST,
        "instellingscode": pa.Column(str),
        "vestigingsnaam": pa.Column(str),
        "plaatsnaam": pa.Column(str),
        "onderwijstype": pa.Column(str),
        "leerweg": pa.Column("string", pa.Check.isin(rules.LEERWEGEN), nullable=True),
        "categorie": pa.Column("string", pa.Check.isin(["profiel", "route", "oud", "geen", "vmbo-mbo2"]),
                                nullable=True),
        "profiel": pa.Column("string", pa.Check.isin(list(rules.PROFIELEN)), nullable=True),
        "afdeling": pa.Column(str),
        "opleidingsnaam": pa.Column(str),
        "leerjaar": pa.Column(int, pa.Check.in_range(1, 6)),
        "geslacht": pa.Column(str, pa.Check.isin(["man", "vrouw"])),
        "aantal": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "onderdrukt": pa.Column(bool),
        "bron": pa.Column(str),
    },
    checks=[pa.Check(lambda df: df["aantal"].isna() == df["onderdrukt"],
                     error="aantal is leeg precies waar onderdrukt waar is")],
    strict=True,
    coerce=True,
)

VESTIGINGEN = pa.DataFrameSchema(
    {
        "vestigingscode": pa.Column(str, pa.Check.str_matches(r"^[0-9A-Z]{4}[0-9]{2}$"), unique=True),
        "instellingscode": pa.Column(str),
        "vestigingsnaam": pa.Column(str),
        "postcode": pa.Column(str),
        "gemeentecode": pa.Column(str, pa.Check.str_matches(r"^(\d{4})?$")),
    },
    strict=False,
    coerce=True,
)

EXAMENS = pa.DataFrameSchema(
    {
        "jaar": _JAAR,
        "schooljaar": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{4}$")),
        "vestigingscode": _VEST,
        "onderwijstype": pa.Column(str),
        "opleidingsnaam": pa.Column(str),
        "leerweg": pa.Column("string", nullable=True),
        "sector": pa.Column("string", nullable=True),
        **_telling("kandidaten"),
        **_telling("geslaagden"),
    },
    checks=[_consistent("kandidaten"), _consistent("geslaagden")],
    strict=False,
    coerce=True,
)

RESULTATEN = pa.DataFrameSchema(
    {
        "jaar": _JAAR,
        "vestigingscode": _VEST,
        "onderwijstype": pa.Column(str),
        "leerweg": pa.Column("string", pa.Check.isin(rules.LEERWEGEN), nullable=True),
        "categorie": pa.Column("string", nullable=True),
        "profiel": pa.Column("string", pa.Check.isin(list(rules.PROFIELEN)), nullable=True),
        **_telling("kandidaten"),
        **_telling("geslaagden"),
        **_telling("gezakten"),
    },
    checks=[_consistent("kandidaten")],
    strict=False,
    coerce=True,
)

LOCATIES = pa.DataFrameSchema(
    {
        "vestigingscode": pa.Column(str, unique=True),
        "lon": pa.Column(float, pa.Check.in_range(-180, 180)),
        "lat": pa.Column(float, pa.Check.in_range(-90, 90)),
        "bron": pa.Column(str, pa.Check.isin(["rio", "punt", "pc4"])),
    },
    strict=False,
    coerce=True,
)

BEVOLKING = pa.DataFrameSchema(
    {
        "gebied": pa.Column(str),
        "soort": pa.Column(str, pa.Check.isin(["gemeente", "postcode"])),
        "leeftijd_van": pa.Column(int, pa.Check.in_range(0, 120)),
        "leeftijd_tot": pa.Column(int, pa.Check.in_range(0, 120)),
        "inwoners": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "peiljaar": pa.Column("Int64", nullable=True),
        "bron": pa.Column(str),
    },
    checks=[pa.Check(lambda df: df["leeftijd_van"] <= df["leeftijd_tot"], error="leeftijd_van <= leeftijd_tot")],
    strict=True,
    coerce=True,
)

PO_LEERLINGEN = pa.DataFrameSchema(
    {
        "gebied": pa.Column(str),  # a PO vestigingscode (6 characters) or a gemeente (GM0363)
        "soort": pa.Column(str, pa.Check.isin(["vestiging", "gemeente"])),
        "type_po": pa.Column(str),  # BO, SBO, SO, ... ('' when the file does not say)
        "peiljaar": _JAAR,  # the count of 1 October of this year
        "leeftijd": pa.Column(int, pa.Check.in_range(0, 30)),
        "aantal": pa.Column(float, pa.Check.ge(0), nullable=True),  # NaN: suppressed ('<5')
        "onderdrukt": pa.Column(bool),
        "bron": pa.Column(str),
    },
    strict=True,
    coerce=True,
)

RIO_LOCATIES = pa.DataFrameSchema(
    {
        "postcode": pa.Column(str, pa.Check.str_matches(r"^\d{4}[A-Z]{2}$")),
        "huisnummer": pa.Column(str),
        "straat": pa.Column(str),
        "lat": pa.Column(float, pa.Check.in_range(50.5, 53.8)),
        "lon": pa.Column(float, pa.Check.in_range(3.2, 7.3)),
        "bron": pa.Column(str),
    },
    strict=True,
    coerce=True,
)

DUOPROGNOSE = pa.DataFrameSchema(
    {
        "instellingscode": pa.Column(str, pa.Check.str_matches(r"^[0-9A-Z]{4}$")),
        "onderwijstype": pa.Column(str),
        "jaar": _JAAR,
        "aantal": pa.Column(float, pa.Check.ge(0)),
        "bron": pa.Column(str),
    },
    unique=["instellingscode", "onderwijstype", "jaar"],
    strict=True,
    coerce=True,
)

ARBEIDSMARKT = pa.DataFrameSchema(
    {
        "tabel": pa.Column(str),
        "titel": pa.Column(str),
        "indicator": pa.Column(str, pa.Check.isin(["banen", "werkloosheid_pct"])),
        "sector": pa.Column(str),
        "regiocode": pa.Column(str),
        "regionaam": pa.Column(str),
        "jaar": _JAAR,
        "periode": pa.Column(str),
        "waarde": pa.Column(float, nullable=True),
        "eenheid": pa.Column(str),
        "bron": pa.Column(str),
    },
    strict=True,
    coerce=True,
)

SPANNING = pa.DataFrameSchema(
    {
        "periode": pa.Column(str),
        "jaar": pa.Column("Int64", nullable=True),
        "regio": pa.Column(str),
        "beroepssegment": pa.Column(str),
        "beroepsklasse": pa.Column(str),
        "technisch": pa.Column(bool),
        "categorie": pa.Column(str),
        "niveau": pa.Column("Int64", pa.Check.in_range(1, 5), nullable=True),
        "waarde": pa.Column(float, pa.Check.ge(0), nullable=True),
        "bron": pa.Column(str),
    },
    strict=True,
    coerce=True,
)

DOORSTROOM = pa.DataFrameSchema(
    {
        "jaar": pa.Column("Int64", nullable=True),
        "vestigingscode": pa.Column(str),
        "profiel": pa.Column("string", pa.Check.isin(list(rules.PROFIELEN)), nullable=True),
        "mbo_domein": pa.Column(str),
        "technisch_mbo": pa.Column(bool),
        **_telling("aantal"),
        "bron": pa.Column(str),
    },
    checks=[_consistent("aantal")],
    strict=True,
    coerce=True,
)
