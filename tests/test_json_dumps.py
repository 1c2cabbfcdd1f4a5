"""JSON findings are dumped with an indent by encoding functions made once per output: the same
text as json.dumps, and no cycle per item left for the garbage collector."""

from __future__ import annotations

import gc
import json

from figcheck.output import plain
from figcheck.output.plain import indented_dumps, json_chunks

VALUES = [{"a": [1, 2.5, float("nan"), float("inf"), -float("inf"), None, True, False, "é\"\n\u2028"],
           "b": {}, "c": [], "d": {"x": {"y": [1e300, -0.0, 3, 10**20]}}}, [], {}, "text", 5, 1.0, None,
          [[[]], [{}], {"k": [{"n": 1}]}]]


def test_indented_dumps_writes_what_json_dumps_writes():
    dumps = indented_dumps()
    for value in VALUES:
        assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=1)


def test_dumping_many_items_leaves_no_cycles(monkeypatch):
    monkeypatch.setattr(plain, "_plain", lambda item: item)  # the items are plain already
    items = [{"rule": "conflict", "figures": [{"doc": f"d{i}.md", "value": i}], "n": i} for i in range(300)]
    gc.collect()
    gc.disable()
    try:
        text = "".join(json_chunks(items))
        left = gc.collect()
    finally:
        gc.enable()
    assert json.loads(text) == items
    assert left < 100
