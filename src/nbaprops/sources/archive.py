"""Read the archive corpus: find files, open gzip / zip / plain CSV, and return their records with line numbers.

Reading is forgiving in one direction only: a truncated gzip still yields the lines before the damage (and says so),
so good rows are never lost; everything doubtful is reported, never silently dropped.

Reading is bounded: compressed data is decompressed in chunks and refused (`TooLarge`) as soon as it grows past the
`ReadLimits` of its compressed size, so a small file that hides a huge member never fills memory.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from nbaprops.sources.settings import ReadLimits
from nbaprops.sources.text import repair_text

CHUNK = 1 << 20


class UnreadableFile(Exception):
    """The file cannot be read at all (bad zip, not gzip, no CSV member, no header)."""


class TooLarge(UnreadableFile):
    """The file decompresses beyond its `ReadLimits` (a decompression bomb, or a limit set too low)."""


def _too_large(what: str, compressed: int, limits: ReadLimits) -> TooLarge:
    allowed = limits.allowed(compressed)
    return TooLarge(
        f"{what} decompresses to more than {allowed:,} bytes from {compressed:,} compressed "
        f"(limits: ratio {limits.max_ratio:g}, at most {limits.max_bytes:,} bytes); refused as a possible "
        "decompression bomb. If the file is genuine, raise NBAPROPS_MAX_COMPRESSION_RATIO / "
        "NBAPROPS_MAX_DECOMPRESSED_MB"
    )


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


def _read_gzip(path: Path, limits: ReadLimits) -> tuple[bytes, str | None]:
    """Decompress incrementally so that a damaged or cut stream still yields everything before the damage, and
    never past the limit: each step decompresses at most what is still allowed."""
    out = bytearray()
    data = path.read_bytes()
    size = len(data)
    allowed = limits.allowed(size)
    if data[:2] != b"\x1f\x8b":
        raise UnreadableFile("not a gzip file (bad magic number)")
    while data:
        stream = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending = data
        try:
            while pending and not stream.eof:
                out += stream.decompress(pending, allowed + 1 - len(out))
                if len(out) > allowed:
                    raise _too_large(f"gzip file {path.name}", size, limits)
                pending = stream.unconsumed_tail
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


def _read_zip(path: Path, limits: ReadLimits) -> bytes:
    """The one CSV member, read in chunks and refused past the limit (the declared size is checked first, then the
    bytes actually produced, since a hostile header can lie)."""
    try:
        with zipfile.ZipFile(path) as zf:
            members = [i for i in zf.infolist() if i.filename.lower().endswith(".csv")
                       and not i.filename.startswith("__MACOSX/")]  # fmt: skip
            if len(members) != 1:
                names = [i.filename for i in members]
                raise UnreadableFile(f"expected one CSV member in the zip, found {names or 'none'}")
            member = members[0]
            allowed = limits.allowed(member.compress_size)
            what = f"zip member {member.filename!r} of {path.name}"
            if member.file_size > allowed:
                raise _too_large(what, member.compress_size, limits)
            out = bytearray()
            with zf.open(member) as fh:
                while chunk := fh.read(min(CHUNK, allowed + 1 - len(out))):
                    out += chunk
                    if len(out) > allowed:
                        raise _too_large(what, member.compress_size, limits)
            return bytes(out)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise UnreadableFile(f"not a readable zip file: {exc}") from exc


def read_bytes(path: Path, limits: ReadLimits | None = None) -> tuple[bytes, str | None]:
    """The decompressed bytes of a .csv, .csv.gz or .csv.zip file, and a whole-file problem if any."""
    limits = limits or ReadLimits.from_env()
    name = path.name.lower()
    if name.endswith(".gz"):
        return _read_gzip(path, limits)
    if name.endswith(".zip"):
        return _read_zip(path, limits), None
    return path.read_bytes(), None


def parse_csv(data: bytes, file_problem: str | None = None) -> CsvContent:
    """Split CSV bytes into records (text repaired, see `sources.text`); a record with the wrong number of fields
    is a problem, not a crash."""
    text = data.decode("utf-8-sig", errors="replace")
    repair = not text.isascii()
    cut_tail = None
    if file_problem is not None and not text.endswith("\n") and "\n" in text:
        # The damage cut the last line short: it is quarantined, never trusted.
        text, cut_tail = text.rsplit("\n", 1)
        text += "\n"
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [repair_text(h.strip()) for h in next(reader)]
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
        content.records.append([repair_text(v) for v in row] if repair else row)
        content.lines.append(reader.line_num)
    if cut_tail is not None:
        content.problems.append((text.count("\n") + 1, "last line of a truncated file, cut short", cut_tail))
    return content


def read_csv_file(path: Path, limits: ReadLimits | None = None) -> CsvContent:
    data, problem = read_bytes(path, limits)
    return parse_csv(data, problem)
