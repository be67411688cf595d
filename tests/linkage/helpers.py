"""Importing identified files in tests, as ``import_data … --source`` does."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

AS_OF = "2014-06-01"

# Source persons without a shared identifier go to the Splink matcher (families.linkage.
# probabilistic); a test that needs it waits for it rather than faking its scores.
needs_matcher = pytest.mark.skipif(
    importlib.util.find_spec("families.linkage.probabilistic") is None,
    reason="the probabilistic matcher is not installed",
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def import_file(kind: str, path: Path, *, source: str = "", as_of: str = AS_OF) -> str:
    out = io.StringIO()
    args = [kind, str(path), "--as-of", as_of] + (["--source", source] if source else [])
    call_command("import_data", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def import_rejected(kind: str, path: Path, *, source: str = "", as_of: str = AS_OF) -> str:
    err = io.StringIO()
    args = [kind, str(path), "--as-of", as_of] + (["--source", source] if source else [])
    with pytest.raises(CommandError) as raised:
        call_command("import_data", *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue() + str(raised.value)
