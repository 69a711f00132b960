"""One writer at a time: a second process on the same warehouse is refused at once with a clear message."""

import subprocess
import sys
import time

from typer.testing import CliRunner

from nbaprops.cli import app
from nbaprops.warehouse import connect

HOLD = """
import sys, time
from nbaprops.warehouse import connect
con = connect(sys.argv[1])
print("holding", flush=True)
time.sleep(60)
"""


def test_second_writer_is_refused_while_the_first_holds_the_file(tmp_path):
    path = tmp_path / "w.duckdb"
    connect(path).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        started = time.monotonic()
        result = CliRunner().invoke(app, ["--db", str(path), "backfill", "--dry-run"])
        assert time.monotonic() - started < 10  # refused at once, not after waiting
        assert result.exit_code == 3
        assert "in use by another nbaprops process" in " ".join(result.output.split())
        assert holder.poll() is None  # the first writer is unharmed
    finally:
        holder.kill()
        holder.wait()
    connect(path).close()  # and the file is intact afterwards
