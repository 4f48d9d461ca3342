"""The contract module and its prose, docs/ADAPTERS.md, say the same."""

from __future__ import annotations

import ast
import inspect
import re
from dataclasses import fields
from pathlib import Path

import pytest

from conformance import contract

DOC = (Path(__file__).parents[1] / "docs" / "ADAPTERS.md").read_text(encoding="utf-8")


def table(heading: str) -> list[str]:
    """The names in the first column of the first table under ``heading``."""
    section = DOC.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    first = section[section.index("\n|") :].split("\n\n", 1)[0]
    rows = [line for line in first.splitlines() if line.startswith("| `")]
    return [re.match(r"\| `([A-Za-z_-]+)", row).group(1) for row in rows]  # type: ignore[union-attr]


def declared(cls: type) -> list[str]:
    """A protocol's or class's public members, in declaration order."""
    names = list(getattr(cls, "__annotations__", {}))
    names += [n for n, v in vars(cls).items() if inspect.isfunction(v) and not n.startswith("_")]
    return names


@pytest.mark.parametrize(
    ("heading", "members"),
    [
        pytest.param("Adapter members", declared(contract.Adapter), id="Adapter"),
        pytest.param("Client members", declared(contract.Client), id="Client"),
        pytest.param("Native members", declared(contract.Native), id="Native"),
        pytest.param(
            "Capabilities members", [f.name for f in fields(contract.Capabilities)], id="Caps"
        ),
        pytest.param("Reply members", [f.name for f in fields(contract.Reply)], id="Reply"),
        pytest.param("Server members", [f.name for f in fields(contract.Server)], id="Server"),
    ],
)
def test_every_member_of_the_contract_is_documented_and_nothing_else(heading, members):
    """Each members table lists exactly the contract's members, in its order."""
    assert table(heading) == members


def test_the_async_client_has_the_sync_clients_members():
    assert declared(contract.AsyncClient) == declared(contract.Client)


def test_every_feature_is_documented():
    section = DOC.split("The features:", 1)[1].split("\n\n", 2)[1]
    documented = [re.match(r"\| `([a-z_-]+)`", r).group(1) for r in section.splitlines()[2:]]  # type: ignore[union-attr]
    assert documented == list(contract.FEATURES)


def test_the_document_names_the_current_version_and_every_version_has_a_row():
    assert DOC.startswith(f"# The adapter contract, version {contract.CONTRACT_VERSION}\n")
    rows = re.findall(r"^\| (\d+) \|", DOC, re.M)
    assert [int(r) for r in rows] == sorted(contract.CHANGES)
    assert max(contract.CHANGES) == contract.CONTRACT_VERSION


def test_the_contract_module_holds_declarations_only():
    """No function of the contract module does work: each body is a docstring and
    an ellipsis, or the one 'raise Unsupported' of an optional Native operation."""
    tree = ast.parse(inspect.getsource(contract))
    working = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = [s for s in node.body if not _is_docstring(s)]
            if not (body == [] or _is_ellipsis(body) or _raises_unsupported(body)):
                working.append(node.name)
    assert working == []


def _is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)


def _is_ellipsis(body: list[ast.stmt]) -> bool:
    return len(body) == 1 and isinstance(body[0], ast.Expr) and body[0].value.value is ...  # type: ignore[attr-defined]


def _raises_unsupported(body: list[ast.stmt]) -> bool:
    if len(body) != 1 or not isinstance(body[0], ast.Raise):
        return False
    exc = body[0].exc
    return isinstance(exc, ast.Call) and getattr(exc.func, "id", None) == "Unsupported"
