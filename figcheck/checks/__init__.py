"""Rule types. Each rule is a module with a stable ID, a one-line SUMMARY and run(Context)."""

from __future__ import annotations

from figcheck.checks import arithmetic, conflict, outdated

RULES = {module.ID: module for module in (conflict, outdated, arithmetic)}
