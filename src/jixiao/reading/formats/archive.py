"""ZIP archives of tables: each member is read as its own document, named `archive.zip!member.docx`.

An archive is not one document, so `read_bytes` refuses it; `read_documents` opens it (and archives
inside it) and yields each member's RawDocument, or the InputError that member raised, so one bad
member is named with its reason and the others are still read.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from jixiao.errors import InputError
from jixiao.reading.formats import magic
from jixiao.reading.readers import RawDocument, RawLine, bytes_reader, read_bytes

ARCHIVE_SEPARATOR = "!"


@bytes_reader(".zip", sniff=magic.is_archive)
def read_zip(path: str, data: bytes) -> tuple[list[RawLine], str]:
    raise InputError(path, None, "a ZIP archive holds several documents: read it with `jixiao ingest` (each member is its own document) "
                     "/ 压缩包含多个文件，请用 jixiao ingest 读取")


def members(path: str, data: bytes) -> list[tuple[str, bytes]]:
    """The files in a ZIP (folders and hidden files aside), as (`archive.zip!member`, bytes); a clear error if none or corrupt."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir() and not Path(i.filename).name.startswith(".")
                     and "__MACOSX" not in i.filename]
            found = [(f"{path}{ARCHIVE_SEPARATOR}{_member_name(info)}", archive.read(info)) for info in infos]
    except RuntimeError as error:  # zipfile's "File is encrypted, password required"
        raise InputError(path, None, f"the ZIP archive is password-protected: {error} / 压缩包有密码保护") from error
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise InputError(path, None, f"the ZIP archive is corrupt: {error} / 压缩包已损坏") from error
    if not found:
        raise InputError(path, None, "the ZIP archive is empty (no files in it) / 压缩包为空")
    return found


def _member_name(info: zipfile.ZipInfo) -> str:
    """Member names written by Chinese Windows tools are GBK without the UTF-8 flag: decode them as such."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def read_documents(path: str | Path, data: bytes | None = None) -> Iterator[RawDocument | InputError]:
    """Every document in a file: the file itself, or each member of a ZIP (recursively); errors yielded, not raised."""
    path = str(path)
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            yield InputError(path, None, f"cannot read the file: {error.strerror}")
            return
    if magic.is_archive(data) or (Path(path).suffix.lower() == ".zip" and magic.zip_names(data) is None):
        try:
            found = members(path, data)
        except InputError as error:
            yield error
            return
        for name, content in found:
            yield from read_documents(name, content)
        return
    try:
        yield read_bytes(path, data)
    except InputError as error:
        yield error
