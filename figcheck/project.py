"""The project a run belongs to: its root (where article identities start) and its settings.

Settings come from `[tool.figcheck]` in a pyproject.toml or from a figcheck.toml, whichever is
found first walking up from the working directory, so a terminal, a pre-commit hook and CI run
in the same repository agree. The folder holding that file is the project root; without one,
the root of the git work tree (a `.git` folder or file) is.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import ConfigDict, Field, ValidationError

from figcheck.errors import FigcheckError
from figcheck.models import Strict

FailOn = Literal["error", "warning", "info", "never"]


class Settings(Strict):
    """What a project may set; paths are relative to the file that sets them."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False)

    packs: list[str] | None = None
    reference: list[str] = Field(default_factory=list)
    fail_on: FailOn | None = Field(None, alias="fail-on")
    select: list[str] | None = None
    ignore: list[str] = Field(default_factory=list)
    store: str | None = None


@dataclass
class Project:
    root: Path | None
    settings: Settings
    source: Path | None = None  # the file the settings came from

    def path(self, value: str) -> Path:
        """A path from the settings, resolved against the folder of the file that gave it."""
        return (self.source.parent / value) if self.source else Path(value)


def find(cwd: Path | None = None) -> Project:
    """The project around the working directory."""
    here = (cwd or Path.cwd()).resolve()
    git_root = None
    for folder in (here, *here.parents):
        for name in ("figcheck.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file():
                settings = _read(candidate)
                if settings is not None:
                    return Project(folder, settings, candidate)
        if git_root is None and (folder / ".git").exists():
            git_root = folder
    return Project(git_root, Settings(), None)


def _read(path: Path) -> Settings | None:
    """The settings in a file, or None for a pyproject.toml without [tool.figcheck]."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FigcheckError(f"cannot read configuration: {exc.strerror or exc}", path) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FigcheckError(f"not valid TOML: {exc}", path) from None
    prefix = ""
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("figcheck")
        if data is None:
            return None
        prefix = "[tool.figcheck] "
    if not isinstance(data, dict):
        raise FigcheckError(f"{prefix}must be a table of settings", path)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(p) for p in error["loc"])
        line = _line_of(path, str(error["loc"][0]))
        if error["type"] == "extra_forbidden":
            allowed = ", ".join(f.alias or name for name, f in Settings.model_fields.items())
            raise FigcheckError(f"{prefix}unknown key {key!r} (allowed: {allowed})", path, line) from None
        raise FigcheckError(f"{prefix}{key}: {error['msg']}, got {error.get('input')!r}", path, line) from None


def _line_of(path: Path, key: str) -> int | None:
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if pattern.match(line):
            return number
    return None


def identity(path: Path, scanned: Path, root: Path | None) -> str:
    """An article's identity: its path relative to the project root when it lies inside it,
    else relative to the folder scanned (for a file named alone: to the working directory, or
    its bare name outside it). Always with forward slashes."""
    absolute = Path(os.path.abspath(path))
    for base in (root, Path(os.path.abspath(scanned)) if scanned.is_dir() else None, Path.cwd()):
        if base is not None and absolute.is_relative_to(base):
            return absolute.relative_to(base).as_posix()
    return absolute.name


def shown(path: str | Path) -> str:
    """A path as printed: relative to the working directory when inside it, else absolute."""
    absolute = Path(os.path.abspath(path))
    cwd = Path.cwd()
    return absolute.relative_to(cwd).as_posix() if absolute.is_relative_to(cwd) else str(absolute)
