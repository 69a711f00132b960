"""Where the package's log records go when a person runs a command, and the progress of a slow step.

Modules log through `logging.getLogger("nbaprops.<area>")` and never configure handlers; the command line calls
`configure` once per invocation: warnings on stderr (through rich on a terminal, plain lines on a pipe; more with
-v, only errors with -q) and,
with --log-file, every record from INFO up (DEBUG with -vv) in a plain file that outlives the terminal.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.logging import RichHandler
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

LOGGER = "nbaprops"
CONSOLE_LEVELS = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}  # -q, default, -v; -vv and up: DEBUG
FILE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
PIPE_FORMAT = "%(levelname)s: %(message)s"
_OURS = "_nbaprops_handler"  # marks the handlers `configure` installed, so a second invocation replaces them
_quiet = False
_showing = 0  # progress displays open now: an inner one only logs (rich allows one live display at a time)

log = logging.getLogger("nbaprops.progress")


def configure(*, verbosity: int = 0, log_file: Path | None = None) -> list[logging.Handler]:
    """Install the console handler (rich, on stderr) and the optional file handler on the `nbaprops` logger,
    replacing those of an earlier call; return them (the caller detaches them when the command ends)."""
    global _quiet
    _quiet = verbosity < 0
    logger = logging.getLogger(LOGGER)
    detach([h for h in logger.handlers if getattr(h, _OURS, False)])
    # the logger passes everything; each handler keeps its level (a test's caplog on the root still sees all)
    logger.setLevel(logging.DEBUG)
    terminal = Console(stderr=True)
    if terminal.is_terminal:
        console: logging.Handler = RichHandler(console=terminal, show_path=False, markup=False)
    else:  # a pipe or a file: one plain line per record, never wrapped, so grep finds a whole message
        console = logging.StreamHandler()
        console.setFormatter(logging.Formatter(PIPE_FORMAT))
    console.setLevel(CONSOLE_LEVELS.get(verbosity, logging.DEBUG))
    handlers: list[logging.Handler] = [console]
    if log_file is not None:
        file = logging.FileHandler(log_file, encoding="utf-8")
        file.setLevel(logging.DEBUG if verbosity >= 2 else logging.INFO)
        file.setFormatter(logging.Formatter(FILE_FORMAT))
        handlers.append(file)
    for handler in handlers:
        setattr(handler, _OURS, True)
        logger.addHandler(handler)
    return handlers


def quiet() -> bool:
    """Whether this invocation asked for no progress output (-q)."""
    return _quiet


def detach(handlers: list[logging.Handler]) -> None:
    """Remove and close handlers `configure` installed (when the command ends: its stderr may be gone after)."""
    logger = logging.getLogger(LOGGER)
    for handler in handlers:
        logger.removeHandler(handler)
        handler.close()


@contextmanager
def progress(console: Console, label: str) -> Iterator[None]:
    """Show that a slow step is working: a spinner with the elapsed time while it runs on a terminal (nothing
    under -q, and nothing on a pipe, where it would mix with the output); its start and duration are logged at INFO
    (seen with -v, kept in --log-file)."""
    global _showing
    log.info("%s ...", label)
    started = time.perf_counter()
    if console.is_terminal and not _quiet and not _showing:
        _showing += 1
        try:
            with Progress(
                SpinnerColumn(), TextColumn(label), TimeElapsedColumn(), console=console, transient=True
            ) as bar:
                bar.add_task(label, total=None)
                yield
        finally:
            _showing -= 1
    else:
        yield
    log.info("%s: done in %.1f s", label, time.perf_counter() - started)
