"""Django, through its adapter, runs the whole suite with no unexpected outcome,
in process and under gunicorn."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from importlib.util import find_spec
from typing import Any

import pytest

from tests.adapter_checks import assert_keeps_declarations
from tests.conftest import ROOT

# The suite runs in a process of its own; this one never imports the adapter,
# which configures Django's settings for the whole process it runs in.
pytestmark = pytest.mark.skipif(
    find_spec("django") is None, reason="Django is not installed: pip install django"
)
ADAPTER = "adapters.django:DjangoAdapter"
EXPECTATIONS = ROOT / "adapters" / "django" / "expectations.toml"


@pytest.mark.parametrize(
    "transport",
    [(), ("--transport", "http", "--server", "gunicorn")],
    ids=["in-process", "http-gunicorn"],
)
def test_django_fails_only_its_declared_divergences(run_suite, transport):
    """Every clause passes on the installed Django, or fails as its adapter declares
    for that release and transport, or is not applicable with a reason; no error."""
    assert_keeps_declarations(
        run_suite(ADAPTER, *transport), expectations=EXPECTATIONS, distribution="django"
    )


def test_django_keeps_its_own_promises_and_is_judged_on_them(run_suite):
    """The clauses of Django's own documentation are measured on Django (not applicable
    elsewhere) and pass."""
    run = run_suite(ADAPTER)
    assert run.results is not None, run.stderr
    own = {c.id: c.outcome for c in run.results.clauses if c.id.startswith("django.")}
    assert own, "no clause of Django's own"
    assert set(own.values()) == {"pass"}, own


def observed(code: str) -> Any:
    """What ``code`` prints as JSON, run in a fresh interpreter (this one never imports the
    adapter, which configures Django's settings for its whole process)."""
    proc = subprocess.run(
        [sys.executable, "-c", "from conformance import run_scenario\n" + textwrap.dedent(code)],
        capture_output=True, text=True, timeout=120, cwd=ROOT, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_async_hooks_and_views_are_coroutines_django_awaits():
    """A hook or view of mode "async" is an async def function Django itself runs (in an
    event loop of asgiref's, so in an asyncio task); a plain one runs in none."""
    seen = observed(
        """
        import json
        from conformance.scenarios import after, before, scenario, url_value_preprocessor, view
        hooks = [before("b", mode="async", probes=["task"]), before("s", probes=["task"]),
                 url_value_preprocessor("u", mode="async", probes=["task"]),
                 after("a", mode="async", probes=["task"])]
        x = run_scenario(ADAPTER, scenario(*hooks, view(mode="async", probes=["task"]))).only
        print(json.dumps({h: x.seen(h, "task") is not None for h in ("b", "s", "u", "index", "a")}))
        """.replace("ADAPTER", repr(ADAPTER))
    )
    assert seen == {"b": True, "s": False, "u": True, "index": True, "a": True}


def test_the_scenarios_settings_reach_django_and_end_with_it():
    """debug is Django's DEBUG (its technical 500 page, with the traceback), propagate_exceptions
    its DEBUG_PROPAGATE_EXCEPTIONS (the exception escapes); the next scenario has neither."""
    seen = observed(
        """
        import json
        from conformance.scenarios import scenario, view
        def run(**config):
            x = run_scenario(ADAPTER, scenario(view(raises="KeyError"), config=config)).only
            return [x.status, x.escaped, "Traceback" in x.text]
        print(json.dumps([run(debug=True), run(propagate_exceptions=True), run()]))
        """.replace("ADAPTER", repr(ADAPTER))
    )
    assert seen == [[500, None, True], [500, "KeyError", False], [500, None, False]]
