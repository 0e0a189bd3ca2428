"""Write a synthetic corpus of performance-target tables.

    python benchmarks/generate_corpus.py OUT_DIR --projects 1000 [--per-file 50] [--agencies 20] [--years 2023 2024] [--form bars]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from jixiao.synthetic import FORMS, write_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--per-file", type=int, default=50)
    parser.add_argument("--agencies", type=int, default=20)
    parser.add_argument("--years", type=int, nargs="+", default=[2024])
    parser.add_argument("--defects", type=float, default=0.1, help="share of projects with a reviewer's finding")
    parser.add_argument("--damage", type=float, default=0.05, help="share of rows shifted by the conversion")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--form", choices=FORMS, default="markdown", help="the text form the tables are written in")
    args = parser.parse_args()
    paths = write_corpus(args.out, args.projects, seed=args.seed, per_file=args.per_file, damage=args.damage,
                         n_agencies=args.agencies, years=tuple(args.years), defects=args.defects, form=args.form)
    print(f"{args.projects} projects in {len(paths)} files under {args.out}")


if __name__ == "__main__":
    main()
