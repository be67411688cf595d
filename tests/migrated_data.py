"""The data the migrations make, put back after a transactional test's flush."""

from __future__ import annotations


def restore_migrated_data(serialized: str) -> None:
    """Put back what the migrations made (role groups, rate card) if a transactional test's
    flush removed it; also for module-scoped fixtures, which run before ``db``."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    if not Group.objects.exists():
        # Emptied first: the flush re-created content types under new ids.
        call_command("flush", interactive=False, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(serialized)
        ContentType.objects.clear_cache()
