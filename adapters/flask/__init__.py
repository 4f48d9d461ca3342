"""Adapter for Flask, run through Flask's own test client."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import flask

from adapters._flask_family import FlaskFamilyAdapter, WerkzeugClient
from conformance.kit import Capabilities


class FlaskAdapter(FlaskFamilyAdapter):
    name = "flask"
    framework = "flask"
    distribution = "flask"
    interface = "wsgi"
    capabilities = Capabilities()
    expectations: ClassVar[Path | None] = Path(__file__).with_name("expectations.toml")
    module: ClassVar[ModuleType] = flask
    application = "Flask"

    def client(self, app: Any) -> WerkzeugClient:
        return WerkzeugClient(app.test_client())
