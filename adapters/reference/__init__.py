"""Adapter for the reference framework, which implements every clause."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import reference_impl
from adapters._flask_family import ModuleNative, WerkzeugClient, register
from conformance.kit import CONTRACT_VERSION, Capabilities, Recorder, Scenario


class ReferenceAdapter:
    contract = CONTRACT_VERSION
    name = "reference"
    framework = "reference"
    distribution = "lifecycle-conformance"
    interface = "wsgi"
    capabilities = Capabilities()  # every stage, form and probe
    expectations: ClassVar[Path | None] = Path(__file__).with_name("expectations.toml")

    def __init__(self, app_class: type[reference_impl.App] = reference_impl.App) -> None:
        # Mutants (deliberately broken copies of the framework) are App subclasses.
        self.app_class = app_class

    def build(self, scenario: Scenario, recorder: Recorder) -> reference_impl.App:
        app = self.app_class("scenario")
        app.logger.disabled = True  # the 500s we provoke are not news
        register(
            app,
            scenario,
            recorder,
            ModuleNative(reference_impl),
            make_blueprint=lambda name, prefix: reference_impl.Blueprint(name, url_prefix=prefix),
        )
        return app

    def client(self, app: reference_impl.App) -> WerkzeugClient:
        return WerkzeugClient(app.test_client())
