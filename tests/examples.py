"""The example dataset: ``../shared/examples`` beside the checkout (CI lays ``shared/`` beside its
clone too), or wherever ``TFP_EXAMPLES_DIR`` says."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

EXAMPLES = Path(
    os.environ.get("TFP_EXAMPLES_DIR") or settings.BASE_DIR.parent / "shared" / "examples"
)


def require_examples() -> None:
    """Skip a test without the dataset on a developer's machine; under CI a missing dataset is
    a failure, so the golden examples can never pass by not running."""
    if EXAMPLES.is_dir():
        return
    message = f"No example dataset at {EXAMPLES} (set TFP_EXAMPLES_DIR, or lay out ../shared)."
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
