"""Dutch number formatting as users read it: hand-written expectations, floats included, and
a share just under the techniekarm threshold never printed as the threshold."""

from fractions import Fraction

import pandas as pd
import pytest

from regioportret import rules
from regioportret.format import aandeel, decimaal, euro, getal, heel, procent


@pytest.mark.parametrize("waarde, verwacht", [
    (1234567, "1.234.567"), (0, "0"), (12.0, "12"), (99.7, "100"), (99.4, "99"), (1415.8, "1.416"),
    (1415.5, "1.416"), (1414.5, "1.415"), (2.5, "3"), (0.5, "1"), (-0.4, "0"), (-2.5, "-3"), (999999.5, "1.000.000"),
])
def test_getal_rondt_half_naar_boven_met_punten(waarde, verwacht):
    assert getal(waarde) == verwacht


def test_decimalen_procenten_en_euro():
    assert getal(1234567.891, 2) == "1.234.567,89" and getal(3.25, 1) == "3,3" and getal(3.35, 1) == "3,4"
    assert procent(0.113675) == "11,4%" and procent(0.1, 2) == "10,00%" and procent(0.5, 0) == "50%"
    assert procent(0.0996) == "10,0%"  # plain procent rounds ...
    assert aandeel(0.0996) == "9,96%"  # ... a share next to the 10% rule keeps its side
    assert aandeel(0.09999) == "9,999%" and aandeel(0.1) == "10,0%" and aandeel(0.10004) == "10,0%"
    assert aandeel(0.0999999999) == "9,99999%"  # beyond four extra decimals: rounded away from 10%
    assert aandeel(0.113675) == "11,4%"
    assert decimaal(0.876) == "0,88" and euro(3078.5) == "€ 3.079" and euro(1_827_000) == "€ 1.827.000"
    assert heel(1415.5) == 1416 and heel(2.5) == 3 and heel(None) is None


def test_leeg_is_een_streep():
    for leeg in (None, float("nan"), pd.NA):
        assert getal(leeg) == "–" and procent(leeg) == "–" and aandeel(leeg) == "–" and euro(leeg) == "–"


def test_aandeel_onder_de_drempel_nooit_als_drempel():
    """Every share n/d of up to 3,000 students, just under or just over 10%: the printed
    number lies on the same side of 10% as the share (checked exactly, with fractions)."""
    drempel = Fraction(rules.TECHNIEKARM_DREMPEL).limit_denominator()
    for d in range(1, 3001):
        for n in {int(d * drempel) - 1, int(d * drempel), int(d * drempel) + 1}:
            if n < 0:
                continue
            x = Fraction(n, d)
            geprint = Fraction(aandeel(n / d).rstrip("%").replace(".", "").replace(",", ".")) / 100
            assert (geprint < drempel) == (x < drempel), (n, d, aandeel(n / d))


def test_km_een_decimaal_half_omhoog():
    from regioportret.format import km

    assert km(4.25) == "4,3 km" and km(12) == "12,0 km" and km(None) == "–" and km(float("nan")) == "–"


def test_verandering_met_marge():
    from regioportret.format import verandering

    assert verandering(-0.1435, -0.1641, -0.1229) == "−14,4% (tussen −16,4% en −12,3%)"
    assert verandering(0.05, 0.05, 0.05) == "5,0%"  # no suppressed cells: no range
    assert verandering(0.05) == "5,0%" and verandering(float("nan")) == "–"


def test_een_regel_voor_onderdrukte_cellen():
    from regioportret.model import onderdrukking as o

    assert (o.ONDERDRUKT_MIN, o.ONDERDRUKT_SCHATTING, o.ONDERDRUKT_MAX) == (1, 2.5, 4)
    punt, laag, hoog = o.verandering(100, 0, 80, 10)
    assert (punt, laag, hoog) == (pytest.approx(0.05), pytest.approx(-0.1), pytest.approx(0.2))
    punt, laag, hoog = o.verandering(100, 2, 100, 0)
    assert laag == pytest.approx(100 / 108 - 1) and hoog == pytest.approx(100 / 102 - 1) and laag < punt < hoog
    assert o.waarde([3, None], [False, True]).tolist() == [3.0, 2.5]
