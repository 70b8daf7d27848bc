"""``python -m geo move-store``: copy the whole store into an empty database (:mod:`geo.store.move`)."""

from __future__ import annotations

import argparse
import sys

from geo.domain import t
from geo.settings import load
from geo.store import connect
from geo.store.move import TargetNotEmpty, move_store


def run(args: argparse.Namespace) -> int:
    source_url = args.source or load().database_url
    try:
        counts = move_store(connect(source_url), connect(args.to))
    except TargetNotEmpty as exc:
        print(exc.text.both(), file=sys.stderr)
        return 1
    for name, count in counts.items():
        print(f"{name}\t{count}")
    print(t("cli_moved", count=sum(counts.values())).both())
    return 0


def register(sub) -> None:
    """The ``move-store`` command of ``python -m geo``."""
    move = sub.add_parser("move-store", help="copy the whole store (every version and its history) "
                                             "into an empty database, e.g. PostgreSQL")
    move.add_argument("--to", required=True, help="SQLAlchemy URL of the empty target database")
    move.add_argument("--from", dest="source", help="URL of the store to move (default: the database_url setting)")
    move.set_defaults(func=run)
