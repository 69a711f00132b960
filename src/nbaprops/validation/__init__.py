"""Validation: named checks with thresholds from one YAML file, shared by the orchestrator's gates,
`nbaprops validate` and the HTML report."""

from nbaprops.validation.api import gate_checks, run_checks
from nbaprops.validation.result import CheckResult, Status
from nbaprops.validation.thresholds import Thresholds, ThresholdsError, load_thresholds

__all__ = [
    "CheckResult",
    "Status",
    "Thresholds",
    "ThresholdsError",
    "gate_checks",
    "load_thresholds",
    "run_checks",
]
