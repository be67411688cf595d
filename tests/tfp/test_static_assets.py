"""Every font and image the GOV.UK and MOJ stylesheets ask for is served, and so is every file
the pages preload: a missing one is a broken icon (the MOJ filter's remove cross) or a
reflowed page."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

STYLESHEETS = [
    settings.NODE_MODULES / "govuk-frontend" / "dist" / "govuk" / "govuk-frontend.min.css",
    settings.NODE_MODULES / "@ministryofjustice" / "frontend" / "moj" / "moj-frontend.min.css",
]


def _asked_for() -> list[str]:
    urls = set()
    for sheet in STYLESHEETS:
        urls |= set(re.findall(r"url\((/assets/[^)]+)\)", sheet.read_text()))
    base = (settings.BASE_DIR / "templates" / "base.html").read_text()
    urls |= set(re.findall(r'rel="preload" href="(/assets/[^"]+)"', base))
    return sorted(urls)


def test_the_stylesheets_ask_for_the_filters_remove_icon():
    assert "/assets/images/icon-tag-remove-cross.svg" in _asked_for()


@pytest.mark.parametrize("url", _asked_for())
def test_every_asset_the_pages_ask_for_is_served(url):
    # No database: static files are answered before any view, signed in or not.
    response = Client().get(url)

    assert response.status_code == 200, url
