"""Files per second per format: the seed written as each format the readers take, read and normalised.

    python benchmarks/bench_formats.py [--seconds 10] [--out FILE.json]

The seed (examples/, 7 projects, 92 indicators, 185 rows and lines) is written as Markdown (the
text reader), DOCX, XLSX, XLS, HTML and a PDF printed by LibreOffice (when soffice is installed) by
the test writers (tests/format_writers.py). Each file is read (`read_file`) and normalised
(`normalize`) repeatedly for about --seconds seconds; the rate is files per second of that loop,
and of reading alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from format_writers import converter, print_pdf, write_docx, write_html, write_xls, write_xlsx  # noqa: E402
from jixiao.reading.normalize import normalize  # noqa: E402
from jixiao.reading.readers import read_file  # noqa: E402
from test_file_formats import SEED, blocks_of  # noqa: E402


def rate(path: Path, seconds: float, with_layout: bool) -> float:
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds or count < 3:
        document = read_file(path)
        if with_layout:
            normalize(document)
        count += 1
    return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-formats-"))
    blocks = blocks_of(read_file(SEED))
    files = {"markdown": SEED, "docx": write_docx(blocks, folder / "seed.docx"), "xlsx": write_xlsx(blocks, folder / "seed.xlsx"),
             "xls": write_xls(blocks, folder / "seed.xls"), "html": write_html(blocks, folder / "seed.html")}
    if converter() is not None:
        files["pdf"] = print_pdf(files["docx"], folder)
    results = {}
    for form, path in files.items():
        results[form] = {"bytes": path.stat().st_size, "read_files_per_s": round(rate(path, args.seconds / 2, False), 2),
                         "read_and_layout_files_per_s": round(rate(path, args.seconds / 2, True), 2)}
        print(f"{form:9} {results[form]['bytes']:>8} bytes  read {results[form]['read_files_per_s']:>8.2f} files/s  "
              f"read+layout {results[form]['read_and_layout_files_per_s']:>7.2f} files/s", flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
