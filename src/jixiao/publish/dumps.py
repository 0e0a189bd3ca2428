"""The dataset's dumps: Turtle, gzipped N-Triples and JSON-LD, with a SHA-256 checksum each.

The triples come from a CONSTRUCT over the whole store through the backend protocol; the result
limit does not apply (a dump is meant to be whole), the time limit does.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from rdflib import Graph

from jixiao.namespaces import PREFIXES
from jixiao.publish.description import Dump

DUMPS = (("dump.ttl", "turtle", "text/turtle"), ("dump.nt.gz", "nt", "application/n-triples"), ("dump.jsonld", "json-ld", "application/ld+json"))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_dumps(graph: Graph, folder: Path, base_url: str) -> list[Dump]:
    """Write the three dumps and `SHA256SUMS` (sha256sum's format) into `folder`."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    folder.mkdir(parents=True, exist_ok=True)
    dumps = []
    for name, rdflib_format, media_type in DUMPS:
        path = folder / name
        data = graph.serialize(format=rdflib_format, encoding="utf-8")
        if name.endswith(".gz"):
            # mtime=0: the same graph gives the same bytes, so the checksum is reproducible.
            with path.open("wb") as raw, gzip.GzipFile(filename=name[:-3], mode="wb", fileobj=raw, mtime=0) as compressed:
                compressed.write(data)
        else:
            path.write_bytes(data)
        dumps.append(Dump(base_url + name, media_type, sha256_of(path), path.stat().st_size))
    (folder / "SHA256SUMS").write_text("".join(f"{dump.sha256}  {dump.url.rsplit('/', 1)[-1]}\n" for dump in dumps), encoding="utf-8")
    return dumps
