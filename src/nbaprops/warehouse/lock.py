"""Who holds the warehouse file. DuckDB lets one process write a file and no other process open it meanwhile (a
read-only opener blocks writers too), and its refusal names only the holder's executable and PID. A writer therefore
records a small sidecar (`<file>.holder.json`: pid, command line, since when) while it holds the file, so a refused
command can say which run holds it, since when and what to do. A holder that is not an nbaprops writer (a notebook,
the duckdb shell, an nbaprops reader) is described from the operating system's process table where it has one."""

from __future__ import annotations

import atexit
import datetime as dt
import json
import logging
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("nbaprops.warehouse")

PID_IN_ERROR = re.compile(r"\(PID (\d+)\)")
READ_ONLY_HOLDER = "open this database in read-only mode"  # DuckDB's hint when the holder only reads
MAX_COMMAND = 200  # a notebook kernel's command line can be long: the message stays one readable line


def sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".holder.json")


@dataclass(frozen=True)
class Holder:
    """The process holding a warehouse file, as far as it can be known."""

    pid: int | None
    command: str | None
    since: dt.datetime | None
    nbaprops_writer: bool  # the sidecar names this pid: an nbaprops command holding the file to write
    read_only: bool  # DuckDB says the holder opened the file read-only

    def describe(self, path: Path) -> str:
        """One line: who, since when, and what to do."""
        who = f"PID {self.pid}" if self.pid else "PID unknown"
        if self.command:
            who += ": " + (self.command if len(self.command) <= MAX_COMMAND else self.command[:MAX_COMMAND] + "...")
        if self.since:
            who += f", since {self.since:%Y-%m-%d %H:%M:%S} UTC"
        if self.nbaprops_writer:
            return (
                f"warehouse {path} is being written by nbaprops ({who}); DuckDB lets no other process open the file "
                f"meanwhile: wait for that run to finish, or stop it (kill {self.pid}), then retry"
            )
        mode = "read-only, which blocks writers" if self.read_only else "for writing, which blocks every other process"
        if self.command and any(
            Path(arg).name == "nbaprops" or arg.startswith("nbaprops.") for arg in self.command.split()
        ):
            return f"warehouse {path} is open {mode} by another nbaprops command ({who}): wait for it to finish"
        return (
            f"warehouse {path} is held by another process (not nbaprops: e.g. a notebook or duckdb shell; {who}), "
            f"open {mode}: close that connection (con.close()) or end the process, then retry"
        )


def record(path: Path) -> None:
    """Write the sidecar for this process (it holds `path` to write); removed at exit or by `release`."""
    info = {"pid": os.getpid(), "argv": _argv(), "since": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    try:
        sidecar(path).write_text(json.dumps(info) + "\n", encoding="utf-8")
    except OSError as exc:  # advisory only: the lock itself is DuckDB's; say so and go on
        log.warning("could not record the holder of %s in %s: %s", path, sidecar(path), exc)
        return
    _recorded.add(path)


def release(path: Path) -> None:
    """Remove the sidecar if this process wrote it (another writer may have replaced it since)."""
    _recorded.discard(path)
    info = _read(sidecar(path))
    if info and info.get("pid") == os.getpid():
        sidecar(path).unlink(missing_ok=True)


_recorded: set[Path] = set()  # sidecars this process wrote and has not released: released at exit
atexit.register(lambda: [release(path) for path in list(_recorded)])


def holder(path: Path, error: str) -> Holder:
    """The holder named by DuckDB's lock error, described from the sidecar when it names the same process (else the
    sidecar is stale), otherwise from /proc."""
    match = PID_IN_ERROR.search(error)
    info = _read(sidecar(path))
    pid = int(match.group(1)) if match else (info or {}).get("pid")
    if pid is not None and info and info.get("pid") == pid and _alive(pid):
        since = dt.datetime.fromisoformat(info["since"]).astimezone(dt.UTC).replace(tzinfo=None)
        return Holder(pid, " ".join(info["argv"]), since, nbaprops_writer=True, read_only=False)
    command, since = _process(pid) if pid else (None, None)
    return Holder(pid, command, since, nbaprops_writer=False, read_only=READ_ONLY_HOLDER in error)


def _argv() -> list[str]:
    """The command as typed: the entry point's name rather than its full path."""
    return [Path(sys.argv[0]).name, *sys.argv[1:]] if sys.argv and sys.argv[0] else [sys.executable]


def _read(file: Path) -> dict | None:
    try:
        info = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) and isinstance(info.get("pid"), int) else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _process(pid: int) -> tuple[str | None, dt.datetime | None]:
    """Command line and start time (UTC) of `pid` from /proc; (None, None) where there is no /proc."""
    proc = Path("/proc") / str(pid)
    try:
        # arguments joined by single spaces: a `python -c` script's newlines would break the one-line message
        command = " ".join(proc.joinpath("cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").split())
        ticks = int(proc.joinpath("stat").read_text().rsplit(")", 1)[1].split()[19])
        boot = next(int(ln.split()[1]) for ln in Path("/proc/stat").read_text().splitlines() if ln.startswith("btime"))
    except (OSError, ValueError, IndexError, StopIteration):
        return None, None
    started = dt.datetime.fromtimestamp(boot + ticks / os.sysconf("SC_CLK_TCK"), dt.UTC).replace(tzinfo=None)
    return command or None, started.replace(microsecond=0)
