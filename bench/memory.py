"""The server's memory in the load tests (bench/load.py and its officers' form): sampled, and whether it levels off."""

from __future__ import annotations

import statistics
from pathlib import Path


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children, in MiB."""
    total = 0
    pids = [pid] + [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def thirds(rss: list[tuple[float, float]]) -> tuple[float, float, float]:
    """The mean memory of each third of the samples ((seconds, MiB) pairs).

    >>> thirds([(0, 100.0), (5, 110.0), (10, 120.0)])
    (100.0, 110.0, 120.0)
    """
    values = [m for _, m in rss] or [0.0]
    n = max(len(values) // 3, 1)
    return (statistics.fmean(values[:n]), statistics.fmean(values[n:2 * n] or values),
            statistics.fmean(values[2 * n:] or values))


def levels_off(rss: list[tuple[float, float]]) -> bool:
    """Whether memory levels off: the last third's mean within 10 % (+ 20 MiB) of the middle third's.

    >>> levels_off([(0, 200.0), (5, 240.0), (10, 250.0)]), levels_off([(0, 200.0), (5, 240.0), (10, 400.0)])
    (True, False)
    """
    _, middle, last = thirds(rss)
    return last <= middle * 1.10 + 20


class Sampled:
    """A run's figures holding ``rss``, the server's memory samples ((seconds since the start, MiB) pairs)."""

    rss: list[tuple[float, float]]

    def thirds(self) -> tuple[float, float, float]:
        return thirds(self.rss)

    @property
    def levels_off(self) -> bool:
        return levels_off(self.rss)


def memory_rows(rss: list[tuple[float, float]]) -> list[tuple[str, str]]:
    """The table's rows about memory: each third's mean, the least and most, whether it levels off."""
    first, middle, last = thirds(rss)
    low_high = f"{min(m for _, m in rss):.0f} / {max(m for _, m in rss):.0f} MiB" if rss else "-"
    return [("server RSS, thirds of the run (mean)", f"{first:.0f} / {middle:.0f} / {last:.0f} MiB"),
            ("server RSS, min / max", low_high), ("memory levels off", "yes" if levels_off(rss) else "NO")]


def table(rows: list[tuple[str, str]], rss: list[tuple[float, float]]) -> str:
    """The figures as a Markdown table, then the memory over time (a dozen samples).

    >>> print(table([("uploads", "4")], [(0, 100.0), (5, 101.0)]))
    | measure | value |
    | ------- | --- |
    | uploads | 4 |
    <BLANKLINE>
    RSS over time (MiB): 0s 100, 5s 101
    """
    width = max(len(k) for k, _ in rows)
    lines = [f"| {'measure':<{width}} | value |", f"| {'-' * width} | --- |"]
    lines += [f"| {k:<{width}} | {v} |" for k, v in rows]
    lines.append("")
    lines.append("RSS over time (MiB): " + ", ".join(f"{t:.0f}s {m:.0f}" for t, m in rss[::max(1, len(rss) // 12)]))
    return "\n".join(lines)
