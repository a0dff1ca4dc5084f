"""Zip files people upload (.xlsx, .docx, .odt): read their directory, never
unpack what claims to be larger than is reasonable (a zip bomb)."""

from __future__ import annotations

import io
import zipfile

MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ARCHIVE_ENTRIES = 2000


class ArchiveTooLarge(Exception):
    pass


def zip_entries(content: bytes) -> list[zipfile.ZipInfo]:
    """The archive's entries. Raises zipfile.BadZipFile for what is no zip,
    ArchiveTooLarge when it has too many parts or unpacks to more than
    MAX_UNPACKED_BYTES."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        entries = archive.infolist()
    if len(entries) > MAX_ARCHIVE_ENTRIES or (
        sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES
    ):
        raise ArchiveTooLarge
    return entries
