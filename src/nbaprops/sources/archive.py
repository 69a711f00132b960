"""Read the archive corpus: find files, open gzip / zip / plain CSV, and return their records with line numbers.

Reading is forgiving in one direction only: a truncated gzip still yields the lines before the damage (and says so),
so good rows are never lost; everything doubtful is reported, never silently dropped.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

CHUNK = 1 << 20


class UnreadableFile(Exception):
    """The file cannot be read at all (bad zip, not gzip, no CSV member, no header)."""


@dataclass
class CsvContent:
    """A CSV file's header and records; `lines[i]` is the 1-based physical line where record i ends."""

    header: list[str]
    records: list[list[str]]
    lines: list[int]
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (line, reason, raw record)
    file_problem: str | None = None  # damage that affects the whole file (e.g. truncated gzip)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read_gzip(path: Path) -> tuple[bytes, str | None]:
    """Decompress incrementally so that a damaged or cut stream still yields everything before the damage."""
    out = bytearray()
    data = path.read_bytes()
    if data[:2] != b"\x1f\x8b":
        raise UnreadableFile("not a gzip file (bad magic number)")
    while data:
        stream = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            for start in range(0, len(data), CHUNK):
                out += stream.decompress(data[start : start + CHUNK])
                if stream.eof:
                    break
        except zlib.error as exc:
            if not out:
                raise UnreadableFile(f"not a readable gzip file: {exc}") from exc
            return bytes(out), f"corrupt gzip ({exc}); the lines before the damage were read"
        if not stream.eof:
            if not out:
                raise UnreadableFile("not a readable gzip file: no complete data")
            return bytes(out), "truncated gzip (the stream ends early); the lines before the damage were read"
        data = stream.unused_data  # a file may hold several gzip members
    return bytes(out), None


def _read_zip(path: Path) -> bytes:
    try:
        with zipfile.ZipFile(path) as zf:
            members = [n for n in zf.namelist() if n.lower().endswith(".csv") and not n.startswith("__MACOSX/")]
            if len(members) != 1:
                raise UnreadableFile(f"expected one CSV member in the zip, found {members or 'none'}")
            return zf.read(members[0])
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise UnreadableFile(f"not a readable zip file: {exc}") from exc


def read_bytes(path: Path) -> tuple[bytes, str | None]:
    """The decompressed bytes of a .csv, .csv.gz or .csv.zip file, and a whole-file problem if any."""
    name = path.name.lower()
    if name.endswith(".gz"):
        return _read_gzip(path)
    if name.endswith(".zip"):
        return _read_zip(path), None
    return path.read_bytes(), None


def parse_csv(data: bytes, file_problem: str | None = None) -> CsvContent:
    """Split CSV bytes into records; a record with the wrong number of fields is a problem, not a crash."""
    text = data.decode("utf-8-sig", errors="replace")
    cut_tail = None
    if file_problem is not None and not text.endswith("\n") and "\n" in text:
        # The damage cut the last line short: it is quarantined, never trusted.
        text, cut_tail = text.rsplit("\n", 1)
        text += "\n"
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise UnreadableFile("the file has no CSV header") from exc
    content = CsvContent(header=header, records=[], lines=[], file_problem=file_problem)
    width = len(header)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            content.problems.append((reader.line_num, f"malformed CSV: {exc}", ""))
            continue
        if not row:
            continue
        if len(row) != width:
            reason = f"expected {width} fields, found {len(row)}"
            content.problems.append((reader.line_num, reason, ",".join(row)))
            continue
        content.records.append(row)
        content.lines.append(reader.line_num)
    if cut_tail is not None:
        content.problems.append((text.count("\n") + 1, "last line of a truncated file, cut short", cut_tail))
    return content


def read_csv_file(path: Path) -> CsvContent:
    data, problem = read_bytes(path)
    return parse_csv(data, problem)
