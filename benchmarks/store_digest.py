"""The sha256 of a store's every quad, as N-Quads lines sorted: two stores compared quad for quad.

    python benchmarks/store_digest.py STORE [STORE ...]

Prints a JSON line per store: its quads, the digest of all of them, and the digest without the registry's
compaction facts (`sizeAtCompaction`, the bytes on disk after the write's compaction, differs between two runs of one
version; `loadedSinceCompaction` with it). The lines are sorted by `sort` (C locale, on disk), so a store of
10,000 projects is compared without holding its quads in memory.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from jixiao.stores.oxigraph import LOADED_SINCE_COMPACTION, SIZE_AT_COMPACTION, OxigraphBackend

_COMPACTION_FACTS = (f"<{LOADED_SINCE_COMPACTION}>", f"<{SIZE_AT_COMPACTION}>")


def store_digest(path: Path) -> dict[str, object]:
    backend = OxigraphBackend(path, read_only=True)
    sorter = subprocess.Popen(["sort", "-S", "300M"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env={**os.environ, "LC_ALL": "C"})
    assert sorter.stdin is not None and sorter.stdout is not None
    try:
        for quad in backend.store.quads_for_pattern(None, None, None, None):
            sorter.stdin.write(f"{quad}\n".encode())
        sorter.stdin.close()
        whole, steady, count = hashlib.sha256(), hashlib.sha256(), 0
        for line in sorter.stdout:
            count += 1
            whole.update(line)
            if not any(fact.encode() in line for fact in _COMPACTION_FACTS):
                steady.update(line)
        sorter.wait()
    finally:
        backend.close()
    return {"store": str(path), "quads": count, "sha256": whole.hexdigest(), "sha256_without_compaction_facts": steady.hexdigest()}


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        print(json.dumps(store_digest(Path(argument))))
