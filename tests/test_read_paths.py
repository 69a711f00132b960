"""Issue #18 item 2: the read paths start fast. What made them slow, each checked in a fresh interpreter (the test
process has imported everything already): lightgbm (with sklearn, scipy and pandas, seconds) pulled in by
discovering the transforms, pyarrow by the package root, and pandas by DuckDB binding a query parameter (it
imports pandas, when installed, to bind one) on `status`. bench/read_paths.py times the commands themselves."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from nbaprops.warehouse import connect

HEAVY = ("lightgbm", "sklearn", "scipy", "pandas", "pyarrow")


def _imported_after(code: str) -> set[str]:
    """The HEAVY modules a fresh interpreter holds after running `code`."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_the_cli_imports_no_heavy_library():
    assert _imported_after("import nbaprops.cli") == set()


def test_discovering_the_transforms_does_not_import_lightgbm():
    imported = _imported_after("from nbaprops.pipeline.registry import discover\nassert len(discover()) >= 10")
    assert not imported & {"lightgbm", "sklearn", "scipy", "pandas"}


def test_the_python_api_is_still_there_on_first_use():
    assert _imported_after("import nbaprops\nassert nbaprops.open and nbaprops.Warehouse and nbaprops.Result") == {
        "pyarrow"
    }


def test_status_binds_no_parameter(tmp_path: Path):
    """Every status query of a warehouse with a run to list runs without pandas."""
    db = tmp_path / "w.duckdb"
    con = connect(db)
    con.execute("INSERT INTO ops.runs (run_id, command, status, started_at) VALUES (1, 'bench', 'success', now())")
    con.close()
    code = (
        "import io\nfrom rich.console import Console\nfrom nbaprops.reports.status import print_status\n"
        f"from nbaprops.warehouse import connect\nout = io.StringIO()\n"
        f"print_status(Console(file=out, width=200), connect({str(db)!r}, read_only=True))\n"
        "assert 'bench' in out.getvalue(), out.getvalue()"
    )
    assert _imported_after(code) == set()
