import gzip
import os
import zipfile

import pytest

from nbaprops.sources.archive import TooLarge, UnreadableFile, parse_csv, read_csv_file
from nbaprops.sources.settings import ReadLimits
from tests.conftest import require_corpus


def test_rows_with_the_wrong_number_of_fields_are_problems_with_their_line():
    content = parse_csv(b"a,b,c\n1,2,3\n4,5\n6,7,8\n")
    assert content.records == [["1", "2", "3"], ["6", "7", "8"]]
    assert content.lines == [2, 4]
    assert content.problems == [(3, "expected 3 fields, found 2", "4,5")]


def test_truncated_gzip_keeps_the_lines_before_the_damage(tmp_path):
    body = "a,b\n" + "".join(f"{i},{i * 2}\n" for i in range(5000))
    data = gzip.compress(body.encode())
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(data[: len(data) // 2])
    content = read_csv_file(path)
    assert content.file_problem and "truncated gzip" in content.file_problem
    assert 0 < len(content.records) < 5000
    assert content.records[0] == ["0", "0"]
    # every record kept is complete and in order; the possibly-cut last one is a problem, not a record
    assert all(int(b) == 2 * int(a) for a, b in content.records)
    assert content.problems == [
        (len(content.records) + 2, "last line of a truncated file, cut short", content.problems[0][2])
    ]


def test_not_a_gzip_is_unreadable(tmp_path):
    path = tmp_path / "x.csv.gz"
    path.write_bytes(b"plain text, not gzip")
    with pytest.raises(UnreadableFile, match="gzip"):
        read_csv_file(path)


def test_zip_ignores_the_macosx_member(tmp_path):
    path = tmp_path / "s.csv.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("s.csv", "a,b\n1,2\n")
        zf.writestr("__MACOSX/._s.csv", "junk")
    assert read_csv_file(path).records == [["1", "2"]]


# Bounded reads: generated bombs in tmp_path, small limits so the tests stay fast; the real corpus under the defaults.

BOMB_LIMITS = ReadLimits(max_ratio=50, max_bytes=64 << 20, min_allowance=1 << 16)


def _zip(path, member: str, body: bytes):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, body)
        zf.writestr("__MACOSX/._x.csv", "junk")
    return path


def test_a_zip_bomb_is_refused_naming_file_and_member(tmp_path):
    path = _zip(tmp_path / "shots.csv.zip", "inner.csv", b"a,b\n" + b"0" * (40 << 20))  # 40 MB in ~40 KB
    assert path.stat().st_size < 100_000
    with pytest.raises(TooLarge, match=r"zip member 'inner\.csv' of shots\.csv\.zip decompresses to more than"):
        read_csv_file(path, BOMB_LIMITS)


def test_a_zip_member_lying_about_its_size_is_refused(tmp_path):
    path = _zip(tmp_path / "liar.csv.zip", "inner.csv", b"a,b\n" + b"1" * (20 << 20))
    data = bytearray(path.read_bytes())
    # Rewrite the declared uncompressed size (local header at 22, central directory at 24) to a harmless 100 bytes.
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("inner.csv")
    central = data.index(b"PK\x01\x02")
    data[22:26] = data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    assert info.compress_size < 100_000
    # zipfile stops at the declared size and then fails the CRC: a clear refusal, never 20 MB read
    with pytest.raises(UnreadableFile, match="not a readable zip file: Bad CRC-32"):
        read_csv_file(path, BOMB_LIMITS)


def test_a_gzip_bomb_is_refused_and_memory_stays_bounded(tmp_path):
    path = tmp_path / "box.csv.gz"
    path.write_bytes(gzip.compress(b"a,b\n" + b"0,0\n" * (50 << 20), 9))  # 200 MB in ~200 KB
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(TooLarge, match=r"gzip file box\.csv\.gz decompresses to more than"):
        read_csv_file(path, BOMB_LIMITS)
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 64 << 10  # under 64 MB more peak memory; unbounded it would be 200 MB+


def test_the_absolute_limit_applies_whatever_the_ratio(tmp_path):
    path = tmp_path / "x.csv.gz"
    path.write_bytes(gzip.compress(os.urandom(300_000).hex().encode()))  # ratio about 2
    with pytest.raises(TooLarge, match="at most 100,000 bytes"):
        read_csv_file(path, ReadLimits(max_ratio=100, max_bytes=100_000, min_allowance=0))


def test_a_small_highly_compressible_file_still_reads_within_the_allowance(tmp_path):
    path = tmp_path / "h.csv.gz"
    path.write_bytes(gzip.compress(b"a,b\n" + b"x,y\n" * 10_000))  # ratio ~ 400 but only 40 KB
    assert len(read_csv_file(path, BOMB_LIMITS).records) == 10_000


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("NBAPROPS_MAX_COMPRESSION_RATIO", "7")
    monkeypatch.setenv("NBAPROPS_MAX_DECOMPRESSED_MB", "2")
    limits = ReadLimits.from_env()
    assert (limits.max_ratio, limits.max_bytes) == (7, 2 << 20)
    monkeypatch.setenv("NBAPROPS_MAX_COMPRESSION_RATIO", "lots")
    with pytest.raises(ValueError, match="NBAPROPS_MAX_COMPRESSION_RATIO='lots' is not a float"):
        ReadLimits.from_env()


@pytest.mark.parametrize("name", ["shots/NBA_2024_Shots.csv.zip", "props/odds_api_player_points_2025-26_part1.csv.gz"])
def test_the_real_corpus_reads_under_the_default_limits(name):
    """The shots zip (ratio 13.8, 44.9 MB) and the most compressible gzip (ratio 19.8) load in full."""
    path = require_corpus() / name
    expected = {"shots/NBA_2024_Shots.csv.zip": 218_701, "props/odds_api_player_points_2025-26_part1.csv.gz": 36_822}
    content = read_csv_file(path, ReadLimits())
    assert len(content.records) == expected[name] and not content.problems and content.file_problem is None
