"""``python -m geo place list|move|rename|retire``: fix one place as the 场所维护 page does (:mod:`geo.upload.edit`).

``list`` names the places still to be placed (待定位) of every layer; ``move`` places or moves a point
(``--at "114.32,29.85"`` in either order, ``--datum`` gcj02 by default, as staff pick points on Amap),
asking ``--accept-warnings`` for a far move; ``rename`` and ``retire`` change one place. Each change is
one version under ``--user``. Exit codes: 0 done, 1 refused.
"""

from __future__ import annotations

import argparse
import sys

from geo import store
from geo.accounts import find_user
from geo.domain import TABLES, layer_tables, t
from geo.io import DATUMS
from geo.settings import load
from geo.upload import EditRefused, move_place, open_city, plan_move, position_from, rename_place, retire_place


def _engine():
    settings = load()
    return open_city(settings.database_url, settings.data_dir, settings.upload_max_rows)


def _unplaced(args: argparse.Namespace) -> int:
    engine = _engine()
    for kind in layer_tables():
        places = store.current(engine, kind)
        if kind == "zones" or places.empty:
            continue
        for _, row in places.loc[places.geometry.isna()].iterrows():
            print(f"{kind}\t{row['id']}\t{row['name']}")
    return 0


def _change(args: argparse.Namespace) -> int:
    engine = _engine()
    user = find_user(engine, args.user)
    if user is None:
        print(t("cli_no_user", name=args.user).both("/ "), file=sys.stderr)
        return 1
    try:
        if args.place_command == "move":
            point = position_from(args.at, datum=args.datum)
            move = plan_move(engine, args.kind, args.id, point, load().max_move_km * 1000)
            for warning in move.warnings:
                print(t("cli_warning_line", text=warning).both("\n"), file=sys.stderr)
            if move.warnings and not args.accept_warnings:
                print(t("cli_needs_confirmation", count=len(move.warnings)).both("/ "), file=sys.stderr)
                return 1
            applied = move_place(engine, args.kind, args.id, point, user, load().max_move_km * 1000,
                                 confirmed=args.accept_warnings)
        elif args.place_command == "rename":
            applied = rename_place(engine, args.kind, args.id, args.name, user)
        else:
            applied = retire_place(engine, args.kind, args.id, user)
    except EditRefused as refused:
        print(refused.text.both("\n"), file=sys.stderr)
        return 1
    print(t("cli_place_saved", version=applied.version).both(" / "))
    return 0


def register(subparsers) -> None:
    """The ``place`` command of ``python -m geo`` and its subcommands."""
    place = subparsers.add_parser("place", help="fix one place: list the unplaced, move, rename, retire")
    sub = place.add_subparsers(dest="place_command", required=True)
    sub.add_parser("unplaced", help="list the places still to be placed (待定位)").set_defaults(func=_unplaced)
    kinds = [k for k in layer_tables() if TABLES[k].geometry]
    for name, text in (("move", "place or move a point (a version)"), ("rename", "rename a place (a version)"),
                       ("retire", "retire a place (a version; a rollback brings it back)")):
        command = sub.add_parser(name, help=text)
        command.add_argument("kind", choices=kinds)
        command.add_argument("id", help="the place's id (see `geo export KIND --csv`)")
        if name == "move":
            command.add_argument("--at", required=True, help='"longitude,latitude" (either order, or DMS)')
            command.add_argument("--datum", choices=DATUMS, default="gcj02",
                                 help="where the position comes from (default gcj02: picked on Amap)")
            command.add_argument("--accept-warnings", action="store_true",
                                 help="store a far move or a spot outside its zone after reading the warnings")
        if name == "rename":
            command.add_argument("name")
        command.add_argument("--user", required=True, help="the account the change is recorded under")
        command.set_defaults(func=_change)
