"""An adapter whose framework is not installed."""

import framework_that_is_not_installed  # type: ignore[import-not-found]  # noqa: F401


class Adapter:
    pass
