"""Portable evidence: what only one machine or one moment of a run had
(paths, ports, addresses, session cookies, the dates they expire) becomes a
placeholder, a long string is cut with its length and digest, and doing it
again changes nothing."""

from __future__ import annotations

import hashlib
import json
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import Results
from conformance.reporting import ClauseResult, TestResult
from conformance.reporting._portable import (
    LENGTH_CHANGED,
    LIMIT,
    bounded,
    portable,
    portable_string,
    portable_text,
)

ROOT = Path(__file__).resolve().parent.parent
SITE = sysconfig.get_paths()["purelib"]


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        pytest.param(
            f"{SITE}/quart/app.py", "<site-packages>/quart/app.py", id="this-site-packages"
        ),
        pytest.param(
            "/work/main/.tox/quart021/lib/python3.11/site-packages/quart/app.py",
            "<site-packages>/quart/app.py",
            id="a-tox-envs-site-packages",
        ),
        pytest.param(
            "/home/ci/venv/lib/python3.12/site-packages/quart/app.py",
            "<site-packages>/quart/app.py",
            id="a-venvs-site-packages",
        ),
        pytest.param(
            "/usr/lib/python3/dist-packages/quart/app.py",
            "<site-packages>/quart/app.py",
            id="debians-dist-packages",
        ),
        pytest.param(
            "../../.venv/lib/python3.11/site-packages/flask/app.py",
            "<site-packages>/flask/app.py",
            id="relative-site-packages",
        ),
        pytest.param(
            "/opt/python/3.11.7/lib/python3.11/asyncio/events.py",
            "<stdlib>/asyncio/events.py",
            id="a-standard-library",
        ),
        pytest.param(
            f"{sysconfig.get_paths()['stdlib']}/asyncio/events.py",
            "<stdlib>/asyncio/events.py",
            id="this-standard-library",
        ),
        pytest.param(
            f"{ROOT}/conformance/_perform.py", "<repo>/conformance/_perform.py", id="this-checkout"
        ),
        pytest.param(
            "/srv/build/checkout/adapters/_flask_family.py",
            "<repo>/adapters/_flask_family.py",
            id="another-checkout",
        ),
        pytest.param(
            "/work/main/.tox/flask31/lib/python3.11/site-packages/conformance/_perform.py",
            "<repo>/conformance/_perform.py",
            id="the-suite-installed-in-a-tox-env",
        ),
        pytest.param(
            "/work/main/.tox/flask31/bin/gunicorn", "<python>/bin/gunicorn", id="a-tox-env"
        ),
        pytest.param(f"{sys.prefix}/bin/python3", "<python>/bin/python3", id="this-python"),
        pytest.param("/tmp/tmpk3_q9zab/app.py", "<tmp>/<random>/app.py", id="a-tempfile-folder"),
        pytest.param(
            "/tmp/pytest-of-ci/pytest-12/test_x0/app.py",
            "<tmp>/<random>/test_x0/app.py",
            id="a-pytest-folder",
        ),
        pytest.param(f"{tempfile.gettempdir()}/sock", "<tmp>/sock", id="this-temp-dir"),
        pytest.param("/home/alice/notes.txt", "~/notes.txt", id="a-home-folder"),
        pytest.param("/root/notes.txt", "~/notes.txt", id="roots-home-folder"),
        pytest.param(f"{Path.home()}/notes.txt", "~/notes.txt", id="this-home-folder"),
        pytest.param(
            "C:\\Users\\bob\\proj\\conformance\\x.py", "<repo>\\conformance\\x.py", id="windows"
        ),
    ],
)
def test_a_machine_path_becomes_a_placeholder(path: str, shown: str):
    assert portable_text(f'File "{path}", line 3') == f'File "{shown}", line 3'


@pytest.mark.parametrize(
    "text",
    [
        "http://localhost/conformance/x",  # a URL's path is not a file's
        "/items/{id}",
        "GET /d/",
        "the view 'index' returned None",
        "<site-packages>/quart/app.py",
        "<repo>/conformance/suite/tests/x.py",
    ],
)
def test_what_is_not_a_machine_path_is_kept(text: str):
    assert portable_text(text) == text


def test_a_path_in_html_is_replaced_up_to_its_tag():
    page = '<span class="info">/work/main/.tox/q/lib/python3.11/site-packages/quart/ctx.py</span>'
    assert portable_text(page) == '<span class="info"><site-packages>/quart/ctx.py</span>'


def test_a_port_the_os_picked_becomes_a_placeholder():
    assert portable_text("http://127.0.0.1:54587/d/") == "http://127.0.0.1:<port>/d/"


def test_an_objects_address_becomes_a_placeholder():
    shown = portable_text("<adapters.quart.QuartNative object at 0x7f9bf80424d0>")
    assert shown == "<adapters.quart.QuartNative object at <address>>"


@pytest.mark.parametrize(
    ("cookie", "shown"),
    [
        pytest.param(
            "session=eyJrIjoxfQ.aw95vA.qL2S7VjgVOT6kDuN_UHuM7bmKZQ; HttpOnly; Path=/",
            "session=<value>; HttpOnly; Path=/",
            id="signed-with-the-time",
        ),
        pytest.param(
            "session=" + "9a" * 32 + "; HttpOnly; Max-Age=1209600; Path=/; SameSite=lax",
            "session=<value>; HttpOnly; Max-Age=1209600; Path=/; SameSite=lax",
            id="a-random-id",
        ),
        pytest.param(
            "session=eyJrIjoxfQ:1xYZWC:F935sRnx; expires=Wed, 16 Dec 2026 01:52:24 GMT; Path=/",
            "session=<value>; expires=<date>; Path=/",
            id="with-the-date-it-expires",
        ),
        pytest.param(
            'sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/',
            'sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/',
            id="cleared-kept",
        ),
        pytest.param("session=; Path=/", "session=; Path=/", id="cleared-empty-kept"),
    ],
)
def test_a_session_cookies_value_becomes_a_placeholder_keeping_its_name(cookie: str, shown: str):
    exchange = {"status": 200, "headers": [["Set-Cookie", cookie]], "body": {"text": "ok"}}
    assert portable(exchange) == {**exchange, "headers": [["Set-Cookie", shown]]}
    assert portable_text(f"observed: [{cookie!r}]") == f"observed: [{shown!r}]"


def test_a_bare_set_cookie_header_keeps_only_its_name():
    exchange = {"headers": [["set-cookie", "sid=abc123"]], "body": {"text": ""}}
    assert portable(exchange)["headers"] == [["set-cookie", "sid=<value>"]]  # type: ignore[index,call-overload]


def test_the_content_length_of_a_body_whose_paths_were_replaced_is_a_placeholder():
    body = f"Traceback: {SITE}/quart/app.py"
    exchange = {"headers": [["Content-Length", str(len(body))]], "body": {"text": body}}
    made = portable(exchange)
    assert made == {
        "headers": [["Content-Length", LENGTH_CHANGED]],
        "body": {"text": "Traceback: <site-packages>/quart/app.py"},
    }
    assert portable(made) == made


def test_the_content_length_of_an_unchanged_body_is_kept():
    exchange = {"headers": [["content-length", "7"]], "body": {"text": "handled"}}
    assert portable(exchange) == exchange


def test_the_scenario_is_kept_as_it_is():
    scenario = {"routes": [{"path": "/tmp/x", "note": "A" * (LIMIT + 1)}]}
    assert portable({"scenario": scenario, "message": "/tmp/x"}) == {
        "scenario": scenario,
        "message": "<tmp>/x",
    }


def test_a_long_string_is_cut_with_its_length_and_digest():
    text = "".join(f"line {n}\n" for n in range(1000))
    cut = portable_string(text)
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    assert len(cut) == LIMIT
    assert cut.endswith(f"\n[cut: {len(text)} characters in all, sha256 {digest}]")
    assert text.startswith(cut.rsplit("\n[cut:", 1)[0])


def test_the_digest_is_of_the_portable_text():
    here, there = (f"{root}/conformance/x.py\n" + "A" * LIMIT for root in (ROOT, "/srv/other"))
    assert portable_string(here) == portable_string(there)


def test_a_string_within_the_bound_is_kept_whole():
    assert portable_string("A" * LIMIT) == "A" * LIMIT


def test_a_cut_string_is_not_cut_again():
    cut = portable_string("B" * (3 * LIMIT))
    assert portable_string(cut) == cut
    assert bounded(cut) == cut


# Fragments of what evidence holds, for strings that mix them.
FRAGMENTS = st.sampled_from(
    [
        f"{SITE}/quart/app.py",
        "/work/main/.tox/quart021/lib/python3.11/site-packages/quart/ctx.py",
        "/srv/x/conformance/_perform.py",
        "/tmp/tmpabcdefgh/",
        "/root/",
        "~",
        "<site-packages>",
        "<repo>",
        "session=abc.def; HttpOnly",
        "expires=Wed, 16 Dec 2026 01:52:24 GMT",
        "127.0.0.1:8080",
        " at 0xdeadbeef>",
        'File "',
        "/",
        "\\",
        ":",
        "=",
        ";",
        " ",
        "\n",
        "<",
        ">",
        "a",
        ".",
    ]
)
TEXTS = st.lists(FRAGMENTS, max_size=30).map("".join)


@given(TEXTS)
def test_making_text_portable_twice_changes_nothing(text: str):
    once = portable_text(text)
    assert portable_text(once) == once


@given(st.lists(TEXTS, max_size=3), st.integers(min_value=0, max_value=3 * LIMIT))
def test_making_evidence_portable_twice_changes_nothing(texts: list[str], padding: int):
    evidence = {
        "message": "x" * padding + "".join(texts),
        "observed": texts,
        "observation": {
            "exchanges": [{"headers": [["content-length", "3"]], "body": {"text": "".join(texts)}}]
        },
    }
    once = portable(evidence)
    assert portable(once) == once


def test_a_results_file_is_written_portable_and_read_portable(tmp_path: Path):
    evidence = {"message": f"{SITE}/flask/app.py:10 at 0x7f0a1b2c3d4e", "scenario": {"routes": []}}
    test = TestResult("test_x::test_y", "fail", "A" * (2 * LIMIT), evidence)
    clause = ClauseResult("hooks.before.registration-order", "MUST", "hooks", "documented", [test])
    run = Results("flask", "flask", "3.1.3", "in-process", "3.11.7", "0.1.0", clauses=[clause])
    run.save(tmp_path / "r.json")
    written = json.loads((tmp_path / "r.json").read_text())["clauses"][0]["tests"][0]
    assert written["evidence"]["message"] == "<site-packages>/flask/app.py:10 at <address>"
    assert len(written["detail"]) == LIMIT
    loaded = Results.load(tmp_path / "r.json")
    assert loaded.clauses[0].tests[0].evidence == written["evidence"]
    assert loaded.clauses[0].tests[0].detail == written["detail"]
