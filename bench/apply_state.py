"""A map layer's statuses decoded as the browser does at every update, side by side with another checkout.

The wall turns to another view at every refresh, and each turn sends the map the view's statuses: a code per
place (``geo/maps/fastlayer.py::layer_state``, ``c``), which ``static/cmdmap/fastlayer.js`` (``_applyState``)
decodes into a typed array before the layer is drawn, in one piece of work that the page cannot interrupt.
This bench runs that decoding in Node, with each checkout's own ``static/cmdmap/decode.js``, on the statuses of
``--places`` places (a day's mix: about a fifth not shown, the rest in four states), ``--rounds`` times:

- a checkout whose decoder has ``decodeCodes`` decodes straight into the typed array;
- one without it decodes as ``_applyState`` did before: ``decodeInts`` into a list, then copied into an
  ``Int16Array`` filled with -1.

Run it from the project root (Node is what ``./run.sh test`` installs)::

    git worktree add --detach /tmp/before <commit>
    .venv/bin/python bench/apply_state.py --before /tmp/before
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.maps.pack import encode_ints  # noqa: E402

# Node: the checkout's decoder, then the statuses (stdin) decoded ``rounds`` times; milliseconds of each round
TIMED = r"""
const fs = require("fs");
eval(fs.readFileSync(process.argv[process.argv.length - 1], "utf8"));
const D = globalThis.cmdmapDecode;
const {text, n, rounds} = JSON.parse(fs.readFileSync(0, "utf8"));
const times = [];
let sum = 0;
for (let r = 0; r < rounds; r++) {
  const start = process.hrtime.bigint();
  let cats;
  if (D.decodeCodes) {
    cats = D.decodeCodes(text, n);
  } else {  // static/cmdmap/fastlayer.js _applyState before decodeCodes
    cats = new Int16Array(n).fill(-1);
    const c = D.decodeInts(text);
    for (let f = 0; f < n && f < c.length; f++) { cats[f] = c[f]; }
  }
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
  sum += cats[r % n];  // used, so that no round can be left out
}
console.log(JSON.stringify({times, direct: !!D.decodeCodes, sum}));
"""


def statuses(n: int, seed: int = 5) -> str:
    """The ``c`` of a layer of ``n`` places on a day: -1 (not shown) for a fifth, else one of four states."""
    codes = np.random.default_rng(seed).choice([-1, 0, 1, 2, 3], size=n, p=[0.2, 0.5, 0.2, 0.07, 0.03])
    return encode_ints(codes)


def timed(checkout: Path, text: str, n: int, rounds: int) -> dict:
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node is not installed (Debian: apt-get install nodejs; ./run.sh test installs it)")
    done = subprocess.run([node, "-e", TIMED, str(checkout / "static" / "cmdmap" / "decode.js")],
                          input=json.dumps({"text": text, "n": n, "rounds": rounds}), capture_output=True, text=True,
                          check=True, timeout=600)
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="another checkout (git worktree): the code before a change")
    parser.add_argument("--places", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--rounds", type=int, default=20, help="decodings timed per checkout and size")
    args = parser.parse_args(argv)
    sides = [*([("before", args.before.resolve())] if args.before else []), ("now", ROOT)]
    print("| places | checkout | decoded | median (ms) | fastest (ms) | slowest (ms) |")
    print("| ---: | --- | --- | ---: | ---: | ---: |")
    for n in args.places:
        text = statuses(n)
        medians = {}
        for label, checkout in sides:
            found = timed(checkout, text, n, args.rounds)
            times = found["times"][1:]  # the first round compiles the decoder
            medians[label] = statistics.median(times)
            how = "into the typed array" if found["direct"] else "list, then copied"
            print(f"| {n:,} | {label} | {how} | {medians[label]:.1f} | {min(times):.1f} | {max(times):.1f} |")
        if len(medians) == 2:
            print(f"| {n:,} | now / before | | {medians['now'] / medians['before']:.3f} | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
