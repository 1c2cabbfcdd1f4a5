"""A rule's documentation, from its module: what `figcheck rule ID` prints and SARIF's help text."""

from __future__ import annotations

import inspect

from figcheck.errors import FigcheckError


def rule_help() -> dict[str, str]:
    """id -> the rule's documentation, as `figcheck rule ID` prints it (SARIF's help text)."""
    from figcheck.checks import RULES

    return {rule_id: explain_rule(rule_id) for rule_id in RULES}


def explain_rule(rule_id: str) -> str:
    """A rule's id, summary, default severity and description with its examples, from its module."""
    from figcheck.checks import RULES

    if rule_id not in RULES:
        raise FigcheckError(f"unknown rule {rule_id!r} (rules: {', '.join(RULES)})")
    module = RULES[rule_id]
    summary = getattr(module, "SUMMARY", "")
    doc = inspect.cleandoc(module.__doc__ or "")
    head = f"{rule_id}: {summary}\ndefault severity: {getattr(module, 'SEVERITY', 'warning')}\n"
    examples = getattr(module, "EXAMPLES", None)
    if examples:
        doc += "\n\nExamples:\n" + "\n".join(f"  {e}" for e in examples)
    return head + "\n" + doc.strip() + "\n"
