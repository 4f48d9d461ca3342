"""Adapter for Flask, run through Flask's own test client."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import flask

from adapters._flask_family import ModuleNative, WerkzeugClient, register
from conformance.kit import CONTRACT_VERSION, Capabilities, Recorder, Scenario


class FlaskAdapter:
    contract = CONTRACT_VERSION
    name = "flask"
    framework = "flask"
    distribution = "flask"
    interface = "wsgi"
    capabilities = Capabilities()
    expectations: ClassVar[Path | None] = Path(__file__).with_name("expectations.toml")

    def build(self, scenario: Scenario, recorder: Recorder) -> flask.Flask:
        app = flask.Flask("scenario")
        # Production settings: unhandled exceptions become 500 responses
        # instead of propagating into the test client.
        app.config.update(TESTING=False, DEBUG=False, SECRET_KEY="lifecycle-conformance")
        app.logger.disabled = True  # the 500s we provoke are not news
        register(
            app,
            scenario,
            recorder,
            ModuleNative(flask),
            make_blueprint=lambda name, prefix: flask.Blueprint(
                name, "scenario", url_prefix=prefix
            ),
        )
        return app

    def client(self, app: flask.Flask) -> WerkzeugClient:
        return WerkzeugClient(app.test_client())
