"""Adapter for APIFlask, a Flask subclass for web APIs, run through Flask's
own test client.  APIFlask keeps Flask's hooks, signals and context globals
(it re-exports none of them: they are Flask's), so the scenario is
registered as on Flask, on APIFlask's own app and blueprint classes, with
APIFlask's own ``abort`` and its defaults (JSON error responses)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar, NoReturn

import apiflask
import flask
from werkzeug.exceptions import HTTPException

from adapters._flask_family import FlaskFamilyAdapter, ModuleNative, WerkzeugClient
from conformance.kit import Capabilities


class APIFlaskNative(ModuleNative):
    """Flask's native operations, with APIFlask's HTTP error."""

    def abort(self, status: int) -> NoReturn:
        apiflask.abort(status)  # raises apiflask.HTTPError, not Werkzeug's
        raise AssertionError("abort() returned")  # pragma: no cover

    def error_status(self, exc: BaseException) -> int | None:
        if isinstance(exc, apiflask.HTTPError):
            return exc.status_code
        return exc.code if isinstance(exc, HTTPException) else None

    # HTTP exceptions: APIFlask's abort and HTTPError call the description "message".
    def abort_description(self, status: int, description: str) -> NoReturn:
        apiflask.abort(status, message=description)
        raise AssertionError("abort() returned")  # pragma: no cover

    def error_detail(self, exc: BaseException, name: str) -> Any:
        if isinstance(exc, apiflask.HTTPError):
            return exc.message if name == "description" else None
        return super().error_detail(exc, name)

    def http_error_class(self, name: str, status: int, description: str) -> type[Exception]:
        """A subclass of APIFlask's HTTPError, as its docs define custom errors."""
        return type(name, (apiflask.HTTPError,), {"status_code": status, "message": description})


class APIFlaskAdapter(FlaskFamilyAdapter):
    name = "apiflask"
    framework = "apiflask"
    distribution = "apiflask"
    interface = "wsgi"
    capabilities = Capabilities()
    expectations: ClassVar[Path | None] = Path(__file__).with_name("expectations.toml")
    module: ClassVar[ModuleType] = flask  # the context globals, signals and responses
    native_class = APIFlaskNative

    def make_app(self) -> apiflask.APIFlask:
        app = apiflask.APIFlask("scenario")
        app.config.update(TESTING=False, DEBUG=False, SECRET_KEY="lifecycle-conformance")
        app.logger.disabled = True  # the 500s we provoke are not news
        return app

    def make_blueprint(self, name: str, url_prefix: str) -> apiflask.APIBlueprint:
        return apiflask.APIBlueprint(name, "scenario", url_prefix=url_prefix)

    def client(self, app: Any) -> WerkzeugClient:
        return WerkzeugClient(app.test_client())
