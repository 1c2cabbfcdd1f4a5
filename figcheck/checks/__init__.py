"""Rule types. Each rule is a module with a stable ID, a one-line SUMMARY, its default SEVERITY,
its Settings (a pydantic model: the keys a pack's `rules:` section may set, with defaults) and
run(Context), giving its findings as a list (held and sorted whole) or as a stream in the order of
their subjects' articles (frame.doc_batches; sorted an article at a time, never held whole).
Adding a rule is one module here and its cases in tests/data/rules/."""

from __future__ import annotations

from figcheck.checks import (arithmetic, claimant, conflict, implausible, internal, outdated, revised,
                             trend)

RULES = {module.ID: module for module in (conflict, claimant, outdated, revised, internal, trend, arithmetic,
                                          implausible)}
