"""Django, through its adapter, runs the whole suite with no unexpected outcome,
in process and under gunicorn."""

from __future__ import annotations

from importlib.util import find_spec

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
