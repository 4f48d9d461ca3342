"""The conformance suite: one module per area, one test per behaviour.

Every test carries ``@clause("...")`` naming exactly one clause of the
registry, and its docstring is that clause's sentence, word for word
(tests/test_spec.py checks it); a comment under the docstring names the case
the test checks, where it is more specific.
"""
