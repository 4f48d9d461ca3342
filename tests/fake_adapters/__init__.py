"""Adapters that are wrong on purpose, to test how the suite refuses them."""
