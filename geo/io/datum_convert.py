"""Conversions between WGS-84, GCJ-02 (Amap, Tencent) and BD-09 (Baidu).

GCJ-02 is WGS-84 with a published, non-linear offset of a few hundred metres
inside China (none outside). Its inverse has no closed form, so
:func:`gcj02_to_wgs84` iterates the forward transform until the error is far
below a centimetre.

Examples
--------
>>> lon, lat = wgs84_to_gcj02(114.3225, 29.8413)
>>> round(float(lon), 4), round(float(lat), 4)
(114.3279, 29.8388)
>>> back = gcj02_to_wgs84(lon, lat)
>>> round(float(back[0]), 6), round(float(back[1]), 6)
(114.3225, 29.8413)
"""

from __future__ import annotations

import numpy as np
import shapely

# China as a longitude/latitude box (min x, min y, max x, max y): the published GCJ-02 algorithm shifts
# inside it, and an upload's coordinates must lie in it (geo.io.datum_guess.check_coordinates), so a place
# the check accepts is one GCJ-02 shifts (but on the edge itself, which the check accepts and GCJ-02 leaves).
CHINA = (73.66, 3.86, 135.05, 53.55)

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as the GCJ-02 algorithm uses
_EE = 0.00669342162296594323
_X_PI = np.pi * 3000.0 / 180.0


def _in_china(lon, lat):
    """Whether each longitude/latitude lies inside :data:`CHINA` (its edges excluded, as GCJ-02 has them).

    >>> _in_china(np.array([114.32, 2.35]), np.array([29.84, 48.85])).tolist()
    [True, False]
    """
    x0, y0, x1, y1 = CHINA
    return (lon > x0) & (lon < x1) & (lat > y0) & (lat < y1)


def _delta(lon, lat):
    x = lon - 105.0
    y = lat - 35.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
            + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
            + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
            + (160.0 * np.sin(y / 12.0 * np.pi) + 320 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0)
    dlon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
            + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
            + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
            + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0)
    radlat = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    inside = _in_china(lon, lat)
    return np.where(inside, dlon, 0.0), np.where(inside, dlat, 0.0)


def wgs84_to_gcj02(lon, lat):
    """WGS-84 longitude and latitude (scalars or arrays) to GCJ-02."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    dlon, dlat = _delta(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon, lat, iterations: int = 6):
    """GCJ-02 to WGS-84 by fixed-point iteration (error below 1e-9 degrees)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    wlon, wlat = lon.copy(), lat.copy()
    for _ in range(iterations):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        wlon = wlon - (glon - lon)
        wlat = wlat - (glat - lat)
    return wlon, wlat


def gcj02_to_bd09(lon, lat):
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02(lon, lat):
    lon = np.asarray(lon, dtype=float) - 0.0065
    lat = np.asarray(lat, dtype=float) - 0.006
    z = np.sqrt(lon * lon + lat * lat) - 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) - 0.000003 * np.cos(lon * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def bd09_to_wgs84(lon, lat):
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def wgs84_to_bd09(lon, lat):
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


_CONVERTERS = {
    ("wgs84", "gcj02"): wgs84_to_gcj02,
    ("gcj02", "wgs84"): gcj02_to_wgs84,
    ("bd09", "gcj02"): bd09_to_gcj02,
    ("gcj02", "bd09"): gcj02_to_bd09,
    ("bd09", "wgs84"): bd09_to_wgs84,
    ("wgs84", "bd09"): wgs84_to_bd09,
}


def convert_geometries(geometries, source: str, target: str):
    """Convert an array of shapely geometries between datums ('wgs84', 'gcj02', 'bd09').

    Examples
    --------
    >>> from shapely import Point
    >>> [p] = convert_geometries([Point(114.3, 29.8)], "wgs84", "gcj02")
    >>> round(p.x - 114.3, 4) != 0
    True
    """
    if source == target:
        return np.asarray(geometries, dtype=object)
    func = _CONVERTERS[(source, target)]

    def transform(xy):
        lon, lat = func(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(np.asarray(geometries, dtype=object), transform)
