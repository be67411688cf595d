"""Two processes building the same window at the same moment end with one pack."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from claims.models import Claim, ClaimPack
from claims.services import claim_pack_build, claim_window_create
from tests.claims.conftest import asb_family


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_builds_of_one_window_yield_one_pack():
    for n in range(5):
        asb_family(f"H3000{n}")
    window = claim_window_create(name="2014-10")
    start = threading.Barrier(2)
    built, errors = [], []

    def build():
        # Each thread has its own database connection: two real sessions racing.
        try:
            start.wait()
            built.append(claim_pack_build(window=window).pk)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(built) == 2 and built[0] == built[1]
    assert ClaimPack.objects.count() == 1
    assert Claim.objects.count() == 5
