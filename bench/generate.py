"""Write a synthetic population as partner extracts (CSV), for benchmarks and demos.

    python bench/generate.py --size small|large|national --out DIR [--seed N] [--as-of DAY]
    python bench/generate.py --households 60 --out DIR

The sizes are those of ../shared/spec/scale.md; the same seed and as-of day give the same
files byte for byte.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from demo.population import SIZES, generate  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--size", choices=SIZES)
    size.add_argument("--households", type=int)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2012)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2014, 11, 15))
    args = parser.parse_args(argv)

    households = args.households or SIZES[args.size]
    started = time.perf_counter()
    paths = generate(args.out, households=households, seed=args.seed, as_of=args.as_of)
    elapsed = time.perf_counter() - started
    total = 0
    for kind, path in paths.items():
        with open(path, "rb") as handle:
            rows = sum(1 for _ in handle) - 1
        total += rows if kind != "people" else 0
        print(f"{kind:>16}: {rows:>11,} rows  {path}")
    print(f"{households:,} households, {total:,} records in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
