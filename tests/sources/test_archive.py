import gzip
import zipfile

import pytest

from nbaprops.sources.archive import UnreadableFile, parse_csv, read_csv_file


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
