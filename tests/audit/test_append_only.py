import pytest
from django.db import DatabaseError, transaction

from audit.models import AuditEntry
from audit.services import audit_record


def test_audit_entries_cannot_be_changed_even_by_the_application(coordinator):
    entry = audit_record(action=AuditEntry.Action.VIEW, user=coordinator, summary="Viewed H00001")
    with pytest.raises(DatabaseError, match="permission denied|append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(summary="rewritten")
    assert AuditEntry.objects.get(pk=entry.pk).summary == "Viewed H00001"


def test_audit_entries_cannot_be_deleted_even_by_the_application(coordinator):
    entry = audit_record(action=AuditEntry.Action.VIEW, user=coordinator, summary="Viewed H00001")
    with pytest.raises(DatabaseError, match="permission denied|append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
