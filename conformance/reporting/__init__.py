"""What a run leaves behind, and what is made of it.

* :class:`Results` -- one run's results file (``_results``; the schema is
  documented in docs/RESULTS.md), its evidence portable (``_portable``: the
  same wherever the run was made), and its reduced form, what REPORT.md is
  made of (``_reduce``, the files of report-data/);
* :func:`render` -- many results merged into REPORT.md (``_report``, which
  writes down what ``_analysis`` reads from the runs; its migration sections
  are found by ``_moves`` and written by ``_migration``);
* :func:`compare` -- two results files: regressions, fixes, stale
  expectations (``_compare``);
* :func:`migration_guide` -- the rules that change when an app moves from
  one framework to another, in markdown (``_guide``, from a move ``_moves``
  finds).
"""

from ._compare import Change, Comparison, compare
from ._guide import migration_guide
from ._html import render_html
from ._report import render
from ._results import SCHEMA, ClauseResult, Outcome, Results, TestResult

__all__ = [
    "SCHEMA",
    "Change",
    "ClauseResult",
    "Comparison",
    "Outcome",
    "Results",
    "TestResult",
    "compare",
    "migration_guide",
    "render",
    "render_html",
]
