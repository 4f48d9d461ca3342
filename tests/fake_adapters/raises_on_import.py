"""An adapter module that raises while it is imported."""

raise RuntimeError("import-time bug")
