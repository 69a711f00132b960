"""Who holds the warehouse: DuckDB lets one process write a file and no other open it meanwhile (a read-only opener
blocks writers). A refused command is refused at once, in one line that names the holder (PID, command, since
when) and what to do; readers beside a reader work. Every holder here is a real process."""

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nbaprops.cli import app
from nbaprops.warehouse import connect
from nbaprops.warehouse.connection import close
from nbaprops.warehouse.lock import sidecar

# An nbaprops writer (through `connect`, as every command opens the file) posing as `nbaprops backfill ...`.
WRITER = """
import sys, time
sys.argv = ["nbaprops", "backfill", "--newest-first"]
from nbaprops.warehouse import connect
con = connect(sys.stdin.readline().strip())
print("holding", flush=True)
time.sleep(120)
"""
# A notebook: plain duckdb, not nbaprops, read-only or not.
NOTEBOOK = """
import sys, time, duckdb
path, mode = sys.stdin.readline().split()
con = duckdb.connect(path, read_only=mode == "ro")
print("holding", flush=True)
time.sleep(120)
"""


@pytest.fixture
def warehouse(tmp_path) -> Path:
    path = tmp_path / "w.duckdb"
    close(connect(path), path)
    assert not sidecar(path).exists()  # a writer that closes leaves no record behind
    return path


@pytest.fixture
def hold():
    """Start a process holding the warehouse; yield it once it holds; kill every one at the end."""
    started = []

    def start(script: str, line: str) -> subprocess.Popen:
        proc = subprocess.Popen(
            [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        started.append(proc)
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "holding"
        return proc

    yield start
    for proc in started:
        proc.kill()
        proc.wait()


def invoke(path: Path, *args: str):
    started = time.monotonic()
    result = CliRunner().invoke(app, ["--db", str(path), *args], env={"COLUMNS": "400"})
    assert time.monotonic() - started < 30  # refused at once, not after waiting (slack for a loaded machine)
    return result


def one_line(result) -> str:
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    (line,) = result.output.strip().splitlines()
    return line


@pytest.mark.parametrize("command", [["status"], ["backfill", "--dry-run"], ["validate"]])
def test_an_nbaprops_writer_is_named_with_its_pid_command_and_start(warehouse, hold, command):
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    holder = hold(WRITER, str(warehouse))
    line = one_line(invoke(warehouse, *command))
    assert line.startswith(f"warehouse {warehouse} is being written by nbaprops (PID {holder.pid}: ")
    assert "nbaprops backfill --newest-first, since " in line
    since = dt.datetime.strptime(line.split(", since ")[1][:19], "%Y-%m-%d %H:%M:%S")
    assert before <= since <= dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert f"wait for that run to finish, or stop it (kill {holder.pid})" in line
    assert holder.poll() is None  # the writer is unharmed
    info = json.loads(sidecar(warehouse).read_text())
    assert info["pid"] == holder.pid and info["argv"] == ["nbaprops", "backfill", "--newest-first"]


def test_a_notebook_reading_blocks_writers_with_a_message_that_says_so_and_readers_still_work(warehouse, hold):
    notebook = hold(NOTEBOOK, f"{warehouse} ro")
    line = one_line(invoke(warehouse, "backfill", "--dry-run"))
    assert line.startswith(f"warehouse {warehouse} is held by another process (not nbaprops: e.g. a notebook")
    assert f"PID {notebook.pid}: {sys.executable} -c" in line, line  # its command line, from the process table
    assert "open read-only, which blocks writers: close that connection (con.close())" in line
    assert "another nbaprops" not in line
    status = invoke(warehouse, "status")  # a reader beside a reader
    assert status.exit_code == 0, status.output


def test_a_notebook_writing_blocks_readers_too(warehouse, hold):
    notebook = hold(NOTEBOOK, f"{warehouse} rw")
    line = one_line(invoke(warehouse, "status"))
    assert f"not nbaprops: e.g. a notebook or duckdb shell; PID {notebook.pid}" in line
    assert "open for writing, which blocks every other process" in line


def test_a_stale_holder_record_is_not_believed(warehouse, hold):
    """The record of a writer that died without cleaning up names a PID that does not hold the file."""
    sidecar(warehouse).write_text(json.dumps({"pid": os.getpid(), "argv": ["nbaprops", "x"], "since": "2020-01-01"}))
    notebook = hold(NOTEBOOK, f"{warehouse} rw")
    line = one_line(invoke(warehouse, "status"))
    assert f"not nbaprops: e.g. a notebook or duckdb shell; PID {notebook.pid}" in line
    assert "2020-01-01" not in line


def test_the_holder_record_lives_while_the_writer_holds_the_file(warehouse, hold, tmp_path):
    writer = hold(WRITER, str(warehouse))
    assert json.loads(sidecar(warehouse).read_text())["pid"] == writer.pid
    writer.kill()  # killed: no chance to clean up
    writer.wait()
    (tmp_path / "archive").mkdir()
    result = invoke(warehouse, "ingest", "archive", str(tmp_path / "archive"))  # the next writer is not refused
    assert result.exit_code == 0, result.output
    assert not sidecar(warehouse).exists()  # and the command removed its own record when it ended
    connect(warehouse).close()  # the file is intact


def test_an_nbaprops_reader_is_told_apart_from_a_notebook_by_its_command_not_its_folder(tmp_path):
    from nbaprops.warehouse.lock import Holder

    def describe(command: str) -> str:
        return Holder(42, command, None, nbaprops_writer=False, read_only=True).describe(tmp_path / "w.duckdb")

    assert "by another nbaprops command (PID 42: /usr/bin/python3 /srv/.venv/bin/nbaprops validate)" in describe(
        "/usr/bin/python3 /srv/.venv/bin/nbaprops validate"
    )
    assert "by another nbaprops command" in describe("python -m nbaprops.cli status")
    notebook = describe("/home/me/nbaprops/.venv/bin/python -m ipykernel_launcher -f kernel.json")
    assert "not nbaprops: e.g. a notebook" in notebook and "read-only, which blocks writers" in notebook


def test_a_run_context_closed_by_a_library_caller_leaves_no_holder_record(tmp_path):
    from nbaprops.context import RunContext
    from nbaprops.settings import get_settings

    path = tmp_path / "w.duckdb"
    run = RunContext(get_settings(), connect(path))
    assert json.loads(sidecar(path).read_text())["pid"] == os.getpid()  # a writer records itself ...
    run.close()
    assert not sidecar(path).exists()  # ... and closing the context, not the process's exit, removes the record
