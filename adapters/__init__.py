"""Adapters shipped with lifecycle-conformance, one package per framework.

Each is found through the ``lifecycle_conformance.adapters`` entry-point
group; a framework can ship its own adapter the same way.
"""
