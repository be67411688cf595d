"""PostgreSQL advisory locks: every key the service takes, and a session lock held for the
length of a block of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

# Every advisory lock key, in one place so that no two jobs share one by accident.
ELIGIBILITY_RUN_LOCK = 7_240_001
RETENTION_RUN_LOCK = 7_240_002
CLAIM_PACK_BUILD_LOCK = 7_240_101
# With two ints: this class, then the import batch's id.
IMPORT_BATCH_LOCK_CLASS = 7_241


@contextmanager
def try_advisory_lock(*keys: int) -> Iterator[bool]:
    """Try the lock named by ``keys`` (one bigint, or two ints); yields whether it was taken.

    Held by the session, not a transaction, so it spans transactions the block commits, and
    PostgreSQL lets it go if the process dies: a lock nobody holds means nobody is at work.
    """
    placeholders = ", ".join(["%s"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_try_advisory_lock({placeholders})", keys)
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT pg_advisory_unlock({placeholders})", keys)
