"""The seeded demo city: Xian'an district (咸安区) of Xianning, in February 2020.

:func:`write_city` writes every layer and status table of :mod:`geo.domain.schema` into
one folder, from nothing but a seed and the district boundary in
``data/source/``. The same arguments always give byte-identical files, so the
shipped demo in ``data/`` can be regenerated and diffed.

What is real and what is invented:

- the district boundary (Aliyun DataV GeoAtlas, GCJ-02, converted to WGS-84 by
  :mod:`geo.io.datum_convert`) and the names of its 3 streets and 10 towns (National
  Bureau of Statistics codes) are real; their origin is recorded in the
  ``"origin"`` member of the GeoJSON files and in ``data/source/README.md``;
- the position of each street or town is an approximate hand-placed anchor;
  grid zones are Voronoi cells of seed points drawn around those anchors and
  clipped to the boundary, so they tile the district without gaps;
- compounds, sites, markets, sales offices, housing agencies, parks, water and sewage
  plants (:mod:`geo.demo.others`), people, companies and every number in the daily
  reports are invented. The reports follow the story of the housing bureaus' own accounts:
  compounds close (open, controlled, sealed) in the second week of February,
  sites apply and resume work in the second half, supplies run low and are
  restocked, and a few places miss their daily report.

Deliberate faults exercise the dashboard's error paths: two compounds have no
zone (the app assigns one by spatial join), and a few resumed sites keep no health
ledger on the last day. Every file passes the upload's checks: the data folder is
read through them (:mod:`geo.upload.city`), and a file with a problem would not be
imported at all.

The work is split by job: :mod:`geo.demo.sources` (the real inputs),
:mod:`geo.demo.places` (geometry), :mod:`geo.demo.names` (invented names and
numbers), :mod:`geo.demo.layers` (zones, compounds and sites put together),
:mod:`geo.demo.reports` (the daily reports and their tables) and
:mod:`geo.demo.files` (GeoJSON and CSV with stable bytes).

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> with tempfile.TemporaryDirectory() as folder:
...     counts = write_city(Path(folder), compounds=30, days=2, seed=1)
>>> counts["compounds"], counts["sites"], counts["zones"]
(30, 40, 24)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from geo.demo.files import write_layer, write_table_days
from geo.demo.layers import build_compounds, build_sites, build_zones, count_sites
from geo.demo.morning import build_morning, write_morning
from geo.demo.others import OTHER_KINDS, build_others, count_others, other_frames, simulate_others
from geo.demo.reports import (
    END_DATE,
    TIMELINE_START,
    compound_frames,
    draw_missing,
    report_dates,
    simulate_reports,
    site_frames,
    supply_frames,
    timeline,
)
from geo.demo.sources import read_boundary, read_townships, write_boundary
from geo.demo.tasks import build_tasks, write_tasks
from geo.domain import TABLES, kinds


def write_city(out: Path, compounds: int = 200, sites: int | None = None, days: int = 14,
               seed: int = 2020) -> dict[str, int]:
    """Generate the demo city and write every layer and table into ``out``.

    Parameters
    ----------
    out : Path
        Folder to write (created if needed): ``boundary.geojson`` and the files of
        :data:`geo.domain.schema.TABLES`.
    compounds : int
        Number of residential compounds (200 in the demo; 100,000 with ``days=2``
        take about 15 s and 450 MB).
    sites : int, optional
        Number of construction sites; default :func:`~geo.demo.layers.count_sites` (48 for 200 compounds).
    days : int
        Days of reports, ending on 2020-02-25. The city is always simulated
        from 2020-02-12 at least, so the last days do not depend on ``days``.
    seed : int
        Seed of every random draw: the same arguments give byte-identical files.

    Returns
    -------
    dict
        Rows written per table: zones, compounds, sites, compound_status,
        site_status, supplies, then each of the other places (markets, …) and its report.
    """
    if compounds < 1 or days < 1:
        raise ValueError("compounds and days must be at least 1")
    n_sites = count_sites(compounds) if sites is None else sites
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    # the first eight streams draw what they drew before the other places came, the first ten before the
    # inspections came, the first eleven before the morning of phone reports came (their files stay the same)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(12)]
    boundary = read_boundary()
    townships = read_townships()

    zones, seeds, owners = build_zones(streams[0], boundary, townships, compounds)
    urban_zone = townships["street"].str.endswith("街道").to_numpy()[owners]
    compound_layer = build_compounds(streams[1], boundary, zones, seeds, urban_zone, compounds,
                                     townships)
    site_layer = build_sites(streams[2], boundary, zones, seeds, urban_zone, n_sites,
                             compound_layer.properties["name"].tolist())

    others = build_others(streams[8], boundary, zones, seeds, urban_zone, count_others(compounds), townships)

    reports = simulate_reports(streams, compound_layer, site_layer, days)
    simulated = report_dates(max(days, (END_DATE - TIMELINE_START).days + 1))  # as simulate_reports does
    missing = {kind: draw_missing(streams[9], len(others[kind].geometry), len(simulated)) for kind in OTHER_KINDS}
    other_reports = simulate_others(streams[9], others, timeline(simulated), missing)
    window = slice(len(simulated) - days, None)
    write_boundary(out / "boundary.geojson", boundary)
    for name, layer in (("zones", zones), ("compounds", compound_layer), ("sites", site_layer), *others.items()):
        write_layer(out / TABLES[name].file, layer)
    counts = {kind: len(layer.geometry) for kind, layer in others.items()}
    responsible = pd.concat([
        pd.DataFrame({"kind": "compounds", "id": compound_layer.properties["id"],
                      "name": compound_layer.properties["name"], "unit": compound_layer.properties["property_company"]}),
        pd.DataFrame({"kind": "sites", "id": site_layer.properties["id"], "name": site_layer.properties["name"],
                      "unit": site_layer.properties["contractor"]})], ignore_index=True)
    counts["tasks"] = write_tasks(out / "tasks.json", build_tasks(streams[10], responsible,
                                                                  [str(d) for d in reports.dates]))
    reporting = pd.concat([pd.DataFrame({"kind": name, "id": layer.properties["id"], "zone": layer.properties["zone"]})
                           for name, layer in (("compounds", compound_layer), ("sites", site_layer), *others.items())],
                          ignore_index=True)
    counts["phone_reports"] = write_morning(out / "phone_reports.json", build_morning(
        streams[11], reporting, reports.dates[-1] + dt.timedelta(days=1)))
    for kind in OTHER_KINDS:
        report = kinds.kind(kind).report
        counts[report] = write_table_days(out / TABLES[report].file,
                                          other_frames(kind, others[kind], other_reports[kind], reports.dates, window))
    return {
        "zones": len(zones.geometry),
        "compounds": compounds,
        "sites": n_sites,
        "compound_status": write_table_days(
            out / TABLES["compound_status"].file,
            compound_frames(compound_layer, reports.compounds, reports.dates,
                            reports.missing[:compounds])),
        "site_status": write_table_days(
            out / TABLES["site_status"].file,
            site_frames(site_layer, reports.sites, reports.dates, reports.missing[compounds:])),
        "supplies": write_table_days(
            out / TABLES["supplies"].file,
            supply_frames(reports.place_ids, np.concatenate([compound_layer.properties["name"].to_numpy(),
                                                             site_layer.properties["name"].to_numpy()]),
                          reports.stocks, reports.dates, reports.missing)),
    } | counts
