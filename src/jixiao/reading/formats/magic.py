"""Recognise a file by its first bytes, whatever its name says."""

from __future__ import annotations

import io
import re
import zipfile

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: XLS, DOC, and Office files encrypted with a password
ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # a ZIP's first entry, or the end record of an empty one
PDF = b"%PDF"
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|meta|table|body)\b", re.IGNORECASE | re.DOTALL)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def zip_names(data: bytes) -> set[str] | None:
    """The member names of a ZIP, or None if the bytes are not one."""
    if not data.startswith(ZIP):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return set() if data.startswith(ZIP[1]) else None


def is_docx(data: bytes) -> bool:
    return "word/document.xml" in (zip_names(data) or ())


def is_xlsx(data: bytes) -> bool:
    return "xl/workbook.xml" in (zip_names(data) or ())


def is_archive(data: bytes) -> bool:
    names = zip_names(data)
    return names is not None and "word/document.xml" not in names and "xl/workbook.xml" not in names


def _ole2_stream(data: bytes, name: str) -> bool:
    return data.startswith(OLE2) and name.encode("utf-16-le") in data


def is_encrypted_office(data: bytes) -> bool:
    """An XLSX or DOCX saved with a password is an OLE2 file holding `EncryptionInfo` and `EncryptedPackage`."""
    return _ole2_stream(data, "EncryptionInfo") and _ole2_stream(data, "EncryptedPackage")


def is_xls(data: bytes) -> bool:
    return not is_encrypted_office(data) and (_ole2_stream(data, "Workbook") or _ole2_stream(data, "Book"))


def is_word97(data: bytes) -> bool:
    return not is_encrypted_office(data) and _ole2_stream(data, "WordDocument")


def is_pdf(data: bytes) -> bool:
    return PDF in data[:1024]


def is_html(data: bytes) -> bool:
    head = data[:4096]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):].replace(b"\x00", b"")
    return _HTML_START.match(head) is not None
