"""The conformance suite: one module per area, one test per behaviour.

Every test carries ``@clause("...")`` naming exactly one clause of the
registry, and its docstring states the behaviour it asserts.
"""
