"""Command line: ``python -m geo demo …`` and ``python -m geo template …``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _demo(args: argparse.Namespace) -> int:
    from geo.demo import write_city

    counts = write_city(
        Path(args.out), compounds=args.compounds, sites=args.sites, days=args.days, seed=args.seed
    )
    for name, count in counts.items():
        print(f"{name}\t{count}")
    return 0


def _template(args: argparse.Namespace) -> int:
    from geo.templates import template_bytes

    data = template_bytes(args.kind, "xlsx" if args.xlsx else "csv")
    if args.out:
        Path(args.out).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def main(argv: list[str] | None = None) -> int:
    from geo.schema import TABLES

    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="write the seeded demo city (Xian'an district)")
    demo.add_argument("--out", default="data", help="folder to write (default: data)")
    demo.add_argument("--compounds", type=int, default=200)
    demo.add_argument("--sites", type=int, default=None,
                      help="default: about one site per four compounds, 48 for 200")
    demo.add_argument("--days", type=int, default=14, help="days of daily reports")
    demo.add_argument("--seed", type=int, default=2020)
    demo.set_defaults(func=_demo)

    template = sub.add_parser("template", help="write an empty table with Chinese headers")
    template.add_argument("kind", choices=sorted(TABLES))
    template.add_argument("--xlsx", action="store_true", help="Excel instead of CSV")
    template.add_argument("--out", help="file to write (default: standard output)")
    template.set_defaults(func=_template)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
