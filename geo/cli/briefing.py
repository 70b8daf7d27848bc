"""``python -m geo briefing --date D [--district X] --out FILE.docx|FILE.pdf``: the morning briefing
(:mod:`geo.report`) of a report date, for the whole city or one district, with the overview's figures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.accounts import SYSTEM
from geo.domain import t
from geo.report import WRITERS, BriefingRefused, FontMissing, briefing_file, build_briefing
from geo.settings import load
from geo.store import city_name, load_store, newest_version_time
from geo.upload import open_city


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in WRITERS:
        print(t("cli_briefing_suffix", path=args.out).both("\n"), file=sys.stderr)
        return 2
    settings = load()
    engine = open_city(settings.database_url, settings.data_dir, settings.upload_max_rows)
    try:
        briefing = build_briefing(load_store(engine), args.date, args.district or None, user=SYSTEM,
                                  settings=settings, updated=newest_version_time(engine),
                                  city=city_name(engine) or "")
        data = briefing_file(briefing, out.suffix)
    except (BriefingRefused, FontMissing) as refused:
        print(refused.text.both("\n"), file=sys.stderr)
        return 1
    out.write_bytes(data)
    print(t("cli_briefing_written", path=args.out).both())
    return 0


def register(sub) -> None:
    """The ``briefing`` command of ``python -m geo``."""
    briefing = sub.add_parser("briefing", help="write the morning briefing (疫情防控工作日报) of a report date "
                                               "as Word (.docx) or PDF, with the overview's figures")
    briefing.add_argument("--date", required=True, help="the report date, e.g. 2020-02-25")
    briefing.add_argument("--district", help="only this district (default: the whole city)")
    briefing.add_argument("--out", required=True, help="the file to write, ending in .docx or .pdf")
    briefing.set_defaults(func=run)
