"""Command line: the same code paths as the pages.

``python -m geo init|demo|template|check|import|history|rollback|restore|user|place|briefing …``; run with
``--help`` for each. ``check`` exits 0 for a valid file, 1 for an invalid one and
2 for one that cannot be read at all; any command exits 3 when the store itself
cannot be read or written (locked, read-only, damaged), 4, doing nothing, when
a setting that guards access has a value it does not understand (the message names
the setting and the values it accepts), and 5 when it stopped on an error nobody
foresaw: a plain message, the details in a file it names, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import traceback
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from geo import store
from geo.accounts import PermissionDenied, find_user
from geo.analysis import versions_table
from geo.cli import briefing, move, place, users
from geo.demo import write_city
from geo.domain import TABLES, Text, group_problems, layer_tables, listing, report_tables, t
from geo.io import DATUMS, roles, table_bytes, template_bytes
from geo.settings import SettingRefused, load
from geo.store import NothingToRollBack, history
from geo.store.backup import backup_before_reset, backup_folder, backups, restore, store_file
from geo.upload import (
    check_file,
    city_name_problem,
    commit,
    file_with_ids,
    import_folder,
    open_city,
    rollback_to,
    start_city,
)


def _engine():
    settings = load()
    return open_city(settings.database_url, settings.data_dir, settings.upload_max_rows)


def _init(args: argparse.Namespace) -> int:
    """A city with nothing in it (or the demo city): the data folder is then never read."""
    name = args.city or (t("demo_city_name", "zh") if args.demo else None)
    if not name:
        print(t("cli_init_no_name").both("\n"), file=sys.stderr)
        return 2
    problem = city_name_problem(name)
    if problem is not None:
        print(problem.both("\n"), file=sys.stderr)
        return 2
    url = load().database_url
    shown = make_url(url).render_as_string(hide_password=True)
    engine = store.open_store(url)
    counts = store.current_counts(engine)
    places, reports = sum(counts[k] for k in layer_tables()), sum(counts[k] for k in report_tables())
    if places or reports:
        if not args.force:
            print(t("cli_init_has_data", url=shown, places=places, reports=reports).both("\n"), file=sys.stderr)
            return 1
        try:
            kept = backup_before_reset(engine)
        except (OSError, DBAPIError, sqlite3.Error) as exc:
            print(t("cli_init_backup_failed", detail=str(exc).splitlines()[0][:200]).both("\n"), file=sys.stderr)
            return 1
        print(t("cli_init_backup", path=kept).both())
    start_city(engine, name)
    if args.demo:
        with tempfile.TemporaryDirectory() as folder:
            write_city(Path(folder))
            import_folder(engine, folder, max_rows=load().upload_max_rows)
        print(t("cli_init_demo", city=name.strip(), url=shown).both("\n"))
        users.make_officers(engine)  # the demo's morning was reported by them: their first passwords, once
        return 0
    print(t("cli_init_done", city=name.strip(), url=shown).both("\n"))
    return 0


def _demo(args: argparse.Namespace) -> int:
    counts = write_city(
        Path(args.out), compounds=args.compounds, sites=args.sites, days=args.days, seed=args.seed
    )
    for name, count in counts.items():
        print(f"{name}\t{count}")
    return 0


#: The format an ``--out`` file's extension asks for, when no ``--csv`` or ``--xlsx`` says it.
EXPORT_FORMATS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".geojson": "geojson", ".json": "geojson"}


def export_format(kind: str, out: str | None, csv: bool = False, xlsx: bool = False) -> str:
    """The format ``geo export`` writes: what ``--xlsx``/``--csv`` say, else the ``--out`` file's extension, else
    GeoJSON for a layer and CSV for a daily report (which has no GeoJSON form).

    >>> export_format("sites", "x.csv"), export_format("sites", "x.XLSX"), export_format("sites", None)
    ('csv', 'xlsx', 'geojson')
    >>> export_format("compound_status", "x.geojson"), export_format("sites", "x.csv", xlsx=True)
    ('csv', 'xlsx')
    """
    geometry = TABLES[kind].geometry
    if xlsx or csv:
        return "xlsx" if xlsx else "csv"
    fmt = EXPORT_FORMATS.get(Path(out).suffix.lower()) if out else None
    if fmt == "geojson" and not geometry:
        return "csv"
    return fmt or ("geojson" if geometry else "csv")


def _export(args: argparse.Namespace) -> int:
    fmt = export_format(args.kind, args.out, args.csv, args.xlsx)
    data = table_bytes(args.kind, store.current(_engine(), args.kind), fmt)
    if args.out:
        Path(args.out).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def _template(args: argparse.Namespace) -> int:
    data = template_bytes(args.kind, "xlsx" if args.xlsx else "csv")
    if args.out:
        Path(args.out).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def _run_check(args: argparse.Namespace):

    path = Path(args.file)
    try:
        content = path.read_bytes()
    except OSError as exc:
        print(f"{t('cli_cannot_open').both()}: {exc}", file=sys.stderr)
        return None
    if args.replace and (not TABLES[args.kind].geometry or args.match_outlines):
        print(t("cli_replace_layer_only").both(), file=sys.stderr)
        return None
    columns = _columns(args.kind, args.column or [])
    if columns is None:
        return None
    max_bytes = load().upload_max_bytes
    return check_file(_engine(), args.kind, content, path.name, sheet=args.sheet, datum=args.datum,
                      max_bytes=max_bytes, columns=columns or None, max_move_m=load().max_move_km * 1000,
                      match_by_position=args.match_outlines, replace=args.replace,
                      keep_reports=getattr(args, "keep_phone_reports", False), max_rows=load().upload_max_rows)


def _columns(kind: str, given: list[str]) -> dict[str, str] | None:
    """``--column ROLE=HEADER`` options as a mapping (None, and a message, when one names no role)."""
    columns = {}
    for option in given:
        role, _, header = option.partition("=")
        if role.strip() not in roles(kind):
            print(t("cli_unknown_role", option=option, roles=listing(roles(kind))).both("/ "), file=sys.stderr)
            return None
        columns[role.strip()] = header.strip()
    return columns


def _write_ids(check, out: str | None) -> None:
    """``--ids-out``: the list with the ids made for its places, to use in the daily reports."""
    made = file_with_ids(check) if out else None
    if made is None:
        return
    Path(out).write_bytes(made[0])
    print(f"  {t('cli_note').both()}: {t('cli_ids_written', path=out).both()}")


def _report(check, as_json: bool, datum_given: bool = True, ids_out: str | None = None) -> None:
    features = check.by_feature  # a GeoJSON's problems name features, a list's and a table's rows
    groups = group_problems(check.problems, features)
    if as_json:
        print(json.dumps({
            "ok": check.ok, "kind": check.kind, "file": check.file_name, "rows": len(check.frame),
            "summary": [{"zh": zh, "en": en} for zh, en in check.summary],
            "notices": [{"zh": zh, "en": en} for zh, en in check.notices],
            "problems": [{"row": p.row, "column": p.column, "value": p.value, "zh": p.zh, "en": p.en}
                         for p in check.problems],
            "warnings": [{"row": p.row, "column": p.column, "value": p.value, "zh": p.zh, "en": p.en}
                         for p in check.warnings],
            "groups": [{"count": g.count, "rows": [p.row for p in g.problems if p.row is not None],
                        "zh": g.title.zh, "en": g.title.en} for g in groups],
            "changed_ids": check.changed_ids,
            "removed": [{"id": key, "name": name} for key, name in check.removed.itertuples(index=False)],
        }, ensure_ascii=False, indent=2))
        return
    print(f"{check.file_name}: {len(check.frame)} {t('cli_rows').both()}")
    for zh, en in check.notices:
        print(f"  {t('cli_note').both()}: {zh} ({en})")
    said = {w.key for w in check.warnings}
    if TABLES[check.kind].geometry and (not datum_given and check.datum is not None or "check_datum_doubt" in said):
        print(f"  {t('cli_note').both()}: {t('cli_datum_option').both()}")
    if check.phone_rows:  # rows that would replace phone reports (said in the notices)
        print(f"  {t('cli_note').both()}: {t('cli_keep_phone_option').both()}")
    if check.headers is not None:  # a list: its columns were found by their headers or values
        print(f"  {t('cli_note').both()}: {t('cli_columns_option').both()}")
    if check.ids_made and not ids_out:
        print(f"  {t('cli_note').both()}: {t('cli_ids_option').both()}")
    grouped = _print_groups(groups, t("cli_error"), features)
    grouped |= _print_groups(group_problems(check.warnings, features), t("cli_warning"), features)
    if grouped:
        print(f"  {t('cli_every_problem').both()}")
    if check.ok:
        for zh, en in check.summary:
            print(f"  {t('cli_would').both()}: {zh} ({en})")
    print((t("cli_valid") if check.ok else t("cli_invalid", count=len(check.problems))).both())


def _print_groups(groups, label: Text, features: bool) -> bool:
    """Print problems (or warnings) a group a line, with a group's first examples under it; True if any grouped."""
    for group in groups:
        if group.count == 1:
            (problem,) = group.problems
            print(f"  {label.both()}: {problem.located(features).zh}")
            continue
        print(f"  {label.both()}: {group.title.zh}")
        for problem in group.examples:
            print(f"    {t('cli_example').both()}: {problem.located(features).zh}")
    return any(group.count > 1 for group in groups)


def _exit_code(check) -> int:
    if check is None or any(p.fatal for p in check.problems):
        return 2
    return 0 if check.ok else 1


def _check(args: argparse.Namespace) -> int:
    check = _run_check(args)
    if check is not None:
        _report(check, args.json, datum_given=args.datum is not None, ids_out=args.ids_out)
        _write_ids(check, args.ids_out)
    return _exit_code(check)


def _acting_user(name: str):
    user = find_user(_engine(), name)
    if user is None:
        print(t("cli_no_user", name=name).both("/ "), file=sys.stderr)
    return user


def _import(args: argparse.Namespace) -> int:

    user = _acting_user(args.user)
    if user is None:
        return 1
    check = _run_check(args)
    if check is not None:
        _report(check, args.json, datum_given=args.datum is not None, ids_out=args.ids_out)
        _write_ids(check, args.ids_out)
    if _exit_code(check):
        return _exit_code(check)
    if check.warnings and not args.accept_warnings:
        print(t("cli_needs_confirmation", count=len(check.warnings)).both("/ "), file=sys.stderr)
        return 1
    if not check.changes:
        print(t("cli_nothing_imported").both())
        return 0
    try:
        applied = commit(_engine(), check, user, confirmed=args.accept_warnings)
    except (PermissionDenied, store.ReportArrived) as exc:
        print(exc.text.both(), file=sys.stderr)
        return 1
    removed = f" -{applied.removed}" if check.replace else ""
    print(f"{t('cli_imported', version=applied.version).both()}: +{applied.added} ~{applied.changed}{removed}")
    return 0


def _history(args: argparse.Namespace) -> int:
    versions = history(_engine())
    if args.json:  # for programs: the stored fields as they are
        print(versions.drop(columns=["summary"]).to_json(orient="records", force_ascii=False, date_format="iso",
                                                         indent=2))
    else:  # for people: as the History page shows it, in Chinese (--lang en: English)
        print(versions_table(versions, args.lang).to_string(index=False))
    return 0


def _rollback(args: argparse.Namespace) -> int:

    user = _acting_user(args.user)
    if user is None:
        return 1
    try:
        applied = rollback_to(_engine(), args.version, user)
    except PermissionDenied as exc:
        print(exc.text.both(), file=sys.stderr)
        return 1
    except NothingToRollBack as exc:
        print(exc.text.both())
        return 0
    except LookupError:
        print(t("cli_no_version", version=args.version).both(), file=sys.stderr)
        return 1
    print(f"{t('cli_rolled_back', version=applied.version).both()}: +{applied.added} -{applied.removed}")
    return 0


def _restore(args: argparse.Namespace) -> int:

    url = load().database_url  # not opened: the store may be the damaged thing
    path = store_file(url)
    if path is None:
        print(t("cli_restore_sqlite_only").both("/ "), file=sys.stderr)
        return 1
    if args.backup is None:
        for found in backups(backup_folder(url)):
            print(found)
        return 0
    try:
        done = restore(Path(args.backup), path)
    except (OSError, ValueError, sqlite3.Error) as exc:
        print(f"{t('cli_cannot_restore').both()}: {exc}", file=sys.stderr)
        return 1
    kept = t("cli_kept", kept=done.kept).both() if done.kept else ""
    print(t("cli_restored", backup=args.backup).both() + kept)
    if done.accounts_from_backup:
        print(t("cli_restore_accounts_from_backup").both())
    elif done.accounts:
        print(t("cli_restore_accounts_kept", count=len(done.accounts), names="、".join(done.accounts)).both())
    else:
        print(t("cli_restore_accounts_same").both())
    return 0


def main(argv: list[str] | None = None) -> int:

    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    init = sub.add_parser("init", help="start a city with no places (the data folder is not read); "
                                       "refuses a store that has data unless --force")
    init.add_argument("--city", help="the city's name, shown in the title of every page, e.g. 楚雄市")
    init.add_argument("--force", action="store_true",
                      help="retire the data already stored (one version per table, which a rollback undoes), "
                           "after a backup of the whole store")
    init.add_argument("--demo", action="store_true", help="then import the demo city (Xian'an district)")
    init.set_defaults(func=_init)

    demo = sub.add_parser("demo", help="write the seeded demo city (Xian'an district)")
    demo.add_argument("--out", default="data", help="folder to write (default: data)")
    demo.add_argument("--compounds", type=int, default=200)
    demo.add_argument("--sites", type=int, default=None,
                      help="default: about one site per four compounds, 48 for 200")
    demo.add_argument("--days", type=int, default=14, help="days of daily reports")
    demo.add_argument("--seed", type=int, default=2020)
    demo.set_defaults(func=_demo)

    export = sub.add_parser("export", help="write a stored table as it is now: a layer as GeoJSON (WGS-84), "
                                           "a daily report as CSV with Chinese headers; the upload reads it back")
    export.add_argument("kind", choices=sorted(TABLES))
    export.add_argument("--xlsx", action="store_true", help="as Excel (a layer: a list with 经度/纬度)")
    export.add_argument("--csv", action="store_true", help="a layer as a CSV list with 经度/纬度 instead of GeoJSON")
    export.add_argument("--out", help="file to write (default: standard output); its extension (.csv, .xlsx, "
                                      ".geojson) chooses the format when --csv or --xlsx do not")
    export.set_defaults(func=_export)

    template = sub.add_parser("template", help="write an empty table with Chinese headers")
    template.add_argument("kind", choices=sorted(TABLES))
    template.add_argument("--xlsx", action="store_true", help="Excel instead of CSV")
    template.add_argument("--out", help="file to write (default: standard output)")
    template.set_defaults(func=_template)

    for name, func, text in (("check", _check, "dry run: print what the file would change and every problem"),
                             ("import", _import, "check, then store the file as a new version")):
        command = sub.add_parser(name, help=text)
        command.add_argument("kind", choices=sorted(TABLES))
        command.add_argument("file")
        command.add_argument("--sheet", help="sheet of an .xlsx (default: the first)")
        command.add_argument("--datum", choices=DATUMS, help="datum of a layer's coordinates (default: detected)")
        command.add_argument("--column", action="append", metavar="ROLE=HEADER",
                             help="a list of places: the header holding ROLE (lon, lat, lonlat, id, name, …), "
                                  "when the one found by its name is wrong; repeat for each role")
        command.add_argument("--ids-out", metavar="FILE",
                             help="a list of places without ids: write it with the ids made for it to FILE")
        command.add_argument("--match-outlines", action="store_true",
                             help="a GeoJSON of polygons: each becomes the outline of the one stored point it "
                                  "contains (ids and names unchanged, no place added)")
        command.add_argument("--json", action="store_true", help="machine-readable output")
        command.add_argument("--keep-phone-reports", action="store_true",
                             help="a daily report: leave out the rows that would replace reports made from a "
                                  "phone today (the phone's report stands)")
        command.add_argument("--replace", action="store_true",
                             help="a layer only: the file is the whole layer, places not in it are retired")
        if name == "import":
            command.add_argument("--user", required=True, help="the account the import is recorded under")
            command.add_argument("--accept-warnings", action="store_true",
                                 help="import although the check warns (a place moved farther than max_move_km, "
                                      "a row replacing a report made from a phone, …)")
        command.set_defaults(func=func)

    hist = sub.add_parser("history", help="list every stored version")
    hist.add_argument("--json", action="store_true")
    hist.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the table (default: zh)")
    hist.set_defaults(func=_history)

    back = sub.add_parser("rollback", help="bring a table back to a version (recorded as a new version)")
    back.add_argument("version", type=int)
    back.add_argument("--user", required=True)
    back.set_defaults(func=_rollback)

    restore = sub.add_parser("restore", help="put an automatic backup back as the store (no backup: list them)")
    restore.add_argument("backup", nargs="?", help="a file in store/backups/")
    restore.set_defaults(func=_restore)

    users.register(sub)
    move.register(sub)
    place.register(sub)
    briefing.register(sub)
    args = parser.parse_args(argv)
    try:
        load()
    except SettingRefused as refused:  # as the app does at start: nothing runs on a guess about access
        print(refused.text.both("\n"), file=sys.stderr)
        return 4
    try:
        return args.func(args)
    except (DBAPIError, sqlite3.DatabaseError, store.StoreTooNew) as exc:  # locked, read-only, corrupted, too new
        print(store_problem(exc), file=sys.stderr)
        return 3
    except Exception:  # noqa: BLE001 - a fault of ours: who runs the command gets a sentence, the admin the details
        print(t("cli_unexpected", file=_details_file()).both("\n"), file=sys.stderr)
        return 5


def _details_file() -> str:
    """The traceback of the exception being handled, written to a file of its own; the file's path."""
    with tempfile.NamedTemporaryFile("w", prefix="cmdmap-error-", suffix=".txt", delete=False,
                                     encoding="utf-8") as details:
        details.write(traceback.format_exc())
    return details.name


def store_problem(exc: Exception) -> str:
    """What to tell someone whose command met a store that cannot be read or written."""
    if isinstance(exc, store.StoreTooNew):
        return exc.text.both("\n")
    detail = str(getattr(exc, "orig", None) or exc).splitlines()[0][:200]
    failure = store.store_failure(exc)  # a full disk and a read-only store are said plainly
    return t({"full": "store_full", "read_only": "store_read_only"}.get(failure, "cli_store_problem"),
             detail=detail).both("\n")
