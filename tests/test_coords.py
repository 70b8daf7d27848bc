"""Datum conversions."""

import numpy as np

from geo.io.datum_convert import bd09_to_wgs84, gcj02_to_wgs84, wgs84_to_bd09, wgs84_to_gcj02


def test_known_point_tiananmen():
    lon, lat = wgs84_to_gcj02(116.3912757, 39.906217)
    assert abs(lon - 116.397516) < 2e-5 and abs(lat - 39.907618) < 2e-5


def test_round_trips_are_below_a_centimetre():
    lon = np.linspace(113.8, 114.6, 50)
    lat = np.linspace(29.2, 30.1, 50)
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert np.abs(back[0] - lon).max() < 1e-7 and np.abs(back[1] - lat).max() < 1e-7
    back = bd09_to_wgs84(*wgs84_to_bd09(lon, lat))
    assert np.abs(back[0] - lon).max() < 1e-6


def test_outside_china_is_unchanged():
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)
