"""Importing one partner extract: all or nothing, with a report naming every bad row.

The batch row is written on its own before the data is touched, so a rejected or failed
import stays on record (who, when, which file, what was wrong) while everything it would
have written is rolled back. A successful import commits its data, its counts and its audit
entry together, then recalculates eligibility for the households it touched.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from audit.models import AuditEntry
from audit.services import audit_record
from families.identification import recalculate_households
from families.imports.kinds import IDENTIFIED_KINDS, KINDS, Kind
from families.imports.merge import (
    MergeResult,
    merge_people,
    merge_records,
    merge_source_persons,
    tables_written,
)
from families.imports.staging import (
    STAGING_TABLE,
    HashingReader,
    Rejected,
    copy_into_staging,
    create_staging,
    drop_staging,
    file_shape,
    read_header,
)
from families.imports.validation import validate
from families.linkage.automatic import link_pending
from families.models import ImportBatch, LinkStatus
from tfp import clock
from tfp.advisory_lock import IMPORT_BATCH_LOCK_CLASS, try_advisory_lock

Status = ImportBatch.Status

# Share of the progress bar each stage fills: reading the file is most of the wait.
COPIED = 60
VALIDATED = 75
MERGED = 90
# Sorting and hashing a million rows wants more than PostgreSQL's default 4 MB.
WORK_MEM = "128MB"
# The tables an import joins are in memory, where reading a page by index costs about what
# reading the next one does; at PostgreSQL's default (4, for spinning disks) a few thousand
# rows would be matched by scanning every person and every record of their kind.
RANDOM_PAGE_COST = 1.1
REANALYSE_AFTER = 10_000
# Under MEDIA_ROOT: where uploads wait for their import.
UPLOAD_DIR = "imports"
# The first key of the advisory lock "importing batch N" (the second is N).
BATCH_LOCK_CLASS = IMPORT_BATCH_LOCK_CLASS
# linkage.md: lowercase letters, digits and underscores, e.g. county_police.
SOURCE_NAME = re.compile(r"^[a-z0-9_]{1,64}$")
INTERRUPTED = (
    "The import was interrupted (the process running it stopped) and nothing was imported: "
    "import the file again."
)


def import_batch_create(
    *,
    kind: str,
    file_name: str,
    as_of: date | None = None,
    imported_by=None,
    upload_path: str = "",
    source: str = "",
) -> ImportBatch:
    """Record an import waiting to run. ``as_of`` defaults to today in Europe/London.

    ``source`` names the partner system an identified file (linkage.md) came from."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of extract {kind!r}: choose one of {', '.join(KINDS)}.")
    source_check(kind=kind, source=source)
    return ImportBatch.objects.create(
        kind=kind,
        source=source,
        file_name=file_name[:255],
        as_of=as_of or clock.today(),
        imported_by=imported_by,
        upload_path=upload_path,
        status=Status.PENDING,
    )


def source_check(*, kind: str, source: str) -> None:
    """Refuse a source name that linkage.md does not allow, or one for a kind of file that
    never comes identified (people is the council's own index)."""
    if not source:
        return
    if not SOURCE_NAME.match(source):
        raise ValueError(
            "A source name is lowercase letters, digits and underscores, like county_police."
        )
    if kind not in IDENTIFIED_KINDS:
        raise ValueError(f"{kind} files name the council's own people: they take no source.")


def import_batch_run(*, batch: ImportBatch, path: Path) -> ImportBatch:
    """Import ``path`` as ``batch`` describes; returns the batch as it ended.

    The process importing a batch holds its advisory lock, so a batch marked "importing"
    whose lock is free was cut off (its worker killed): it wrote nothing, all or nothing, so
    a retried task imports it again, and any other import marks the others failed. A batch
    that has finished, or that another process is importing, is returned untouched.
    """
    with try_advisory_lock(BATCH_LOCK_CLASS, batch.pk) as held:
        claimed = held and (
            ImportBatch.objects.filter(
                pk=batch.pk, status__in=[Status.PENDING, Status.RUNNING]
            ).update(status=Status.RUNNING, progress=0)
        )
        if not claimed:
            batch.refresh_from_db()
            return batch
        _mark_interrupted(but=batch.pk)
        return _run(batch, path)


def _run(batch: ImportBatch, path: Path) -> ImportBatch:
    kind = KINDS[batch.kind]
    progress = _Progress(batch.pk)
    try:
        with open(path, "rb") as handle:
            progress.size = max(path.stat().st_size, 1)
            reader = HashingReader(handle)
            try:
                with transaction.atomic():
                    rows_read, result = _load(batch, kind, path, reader, progress)
                    _succeed(batch, rows_read, result, reader.hexdigest())
            except Rejected as rejection:
                _reject(batch, rejection, reader.hexdigest())
    except BaseException as error:
        _fail(batch, error)
        raise
    finally:
        progress.close()
    batch.refresh_from_db()
    return batch


def extract_import(
    *,
    kind: str,
    path: Path,
    as_of: date | None = None,
    imported_by=None,
    file_name: str | None = None,
    source: str = "",
) -> ImportBatch:
    """Import a file straight away (the command line, the demo data)."""
    batch = import_batch_create(
        kind=kind,
        file_name=file_name or path.name,
        as_of=as_of,
        imported_by=imported_by,
        source=source,
    )
    return import_batch_run(batch=batch, path=path)


def import_upload_queue(
    *,
    kind: str,
    upload: UploadedFile,
    as_of: date | None = None,
    imported_by=None,
    source: str = "",
) -> ImportBatch:
    """Keep an uploaded extract under MEDIA_ROOT/imports and queue its import."""
    source_check(kind=kind, source=source)
    relative = Path(UPLOAD_DIR) / f"{uuid.uuid4().hex}.csv"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as stored:
        for chunk in upload.chunks():
            stored.write(chunk)
    batch = import_batch_create(
        kind=kind,
        file_name=Path(upload.name or "upload.csv").name,
        as_of=as_of,
        imported_by=imported_by,
        upload_path=str(relative),
        source=source,
    )
    # Tasks import this module: the task is looked up when it is needed.
    from families.tasks import import_file

    transaction.on_commit(lambda: import_file.delay(batch.pk))
    return batch


def import_upload_run(*, batch_id: int) -> ImportBatch:
    """Import the upload waiting under MEDIA_ROOT for ``batch_id``, then delete it."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if not batch.upload_path:
        return batch
    path = Path(settings.MEDIA_ROOT) / batch.upload_path
    try:
        import_batch_run(batch=batch, path=path)
    finally:
        # Imported, rejected or failed: either way the upload has served its purpose.
        finished = (
            ImportBatch.objects.filter(pk=batch_id)
            .exclude(status__in=[Status.PENDING, Status.RUNNING])
            .update(upload_path="")
        )
        if finished:
            path.unlink(missing_ok=True)
    batch.refresh_from_db()
    return batch


def _load(
    batch: ImportBatch, kind: Kind, path: Path, reader: HashingReader, progress: _Progress
) -> tuple[int, MergeResult]:
    kind = file_shape(path, kind, source=batch.source)
    columns = read_header(path, kind)
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        cursor.execute(f"SET LOCAL random_page_cost = {RANDOM_PAGE_COST}")
        create_staging(cursor, kind)
        copy_into_staging(
            cursor,
            reader,
            columns,
            on_chunk=lambda done: progress.report(COPIED * done // progress.size),
        )
        # Temporary tables are never analysed automatically; the joins need the row count.
        cursor.execute(f"ANALYZE {STAGING_TABLE}")
        cursor.execute(f"SELECT count(*) FROM {STAGING_TABLE}")
        rows_read = cursor.fetchone()[0]
        progress.report(COPIED)
        try:
            validate(cursor, kind, as_of=batch.as_of)
        except Rejected as rejection:
            rejection.rows_read = rows_read
            raise
        progress.report(VALIDATED)
        if kind.name == "people":
            result = merge_people(cursor, batch_id=batch.pk, as_of=batch.as_of)
            # Someone a partner named may have joined the index.
            result.household_ids |= link_pending(source=None, batch=batch).household_ids
        elif kind.identified:
            merge_source_persons(cursor, source=batch.source, batch_id=batch.pk)
            result = merge_records(cursor, kind, batch_id=batch.pk, source=batch.source)
            result.household_ids |= link_pending(source=batch.source, batch=batch).household_ids
            result.linking = _linking_summary(cursor, source=batch.source)
        else:
            result = merge_records(cursor, kind, batch_id=batch.pk)
        # What is left is the commit, where PostgreSQL checks the new rows' foreign keys.
        progress.report(MERGED)
        if result.created + result.updated >= REANALYSE_AFTER:
            # The next import joins against these tables straight away, before autovacuum
            # has noticed they grew: plan it for their real size.
            for table in tables_written(kind):
                cursor.execute(f"ANALYZE {table}")
        drop_staging(cursor)
    return rows_read, result


def _linking_summary(cursor, *, source: str) -> dict[str, object]:
    """Where the file's source persons stand now: linked (by method), possible, unlinked."""
    cursor.execute(
        f"""
        SELECT sp.status, sp.method, count(*) FROM families_sourceperson sp
        WHERE sp.source = %s
          AND sp.source_person_id IN (SELECT source_person_id FROM {STAGING_TABLE})
        GROUP BY sp.status, sp.method
        """,
        [source],
    )
    summary: dict[str, object] = {"linked": {}, "possible": 0, "unlinked": 0}
    for status, method, count in cursor.fetchall():
        if status == LinkStatus.LINKED:
            summary["linked"][method] = count
        else:
            summary[status] += count
    return summary


def _succeed(batch: ImportBatch, rows_read: int, result: MergeResult, sha256: str) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=Status.SUCCEEDED,
        sha256=sha256,
        rows_read=rows_read,
        rows_created=result.created,
        rows_updated=result.updated,
        rows_unchanged=result.unchanged,
        rows_rejected=0,
        linking=result.linking,
        progress=100,
        finished_at=timezone.now(),
    )
    audit_record(
        action=AuditEntry.Action.IMPORT,
        user=batch.imported_by,
        obj=batch,
        summary=(
            f"Imported {batch.file_name} ({batch.kind}): {rows_read} rows read, "
            f"{result.created} created, {result.updated} updated"
        ),
        details={
            "kind": batch.kind,
            "sha256": sha256,
            "as_of": batch.as_of.isoformat(),
            "rows_read": rows_read,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "households_touched": len(result.household_ids),
            "source": batch.source,
            "linking": result.linking,
        },
    )
    household_ids = sorted(result.household_ids)
    if household_ids:
        # Robust: a refused recalculation (the nightly run is going) must not undo an import
        # that has committed; the next full run covers those households.
        transaction.on_commit(
            lambda: recalculate_households(
                household_ids=household_ids, trigger="import", started_by=batch.imported_by
            ),
            robust=True,
        )


@transaction.atomic
def _reject(batch: ImportBatch, rejection: Rejected, sha256: str) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=Status.REJECTED,
        sha256=sha256,
        rows_read=rejection.rows_read,
        rows_created=0,
        rows_updated=0,
        rows_unchanged=0,
        rows_rejected=rejection.rows_rejected,
        errors=[problem.as_dict() for problem in rejection.problems],
        error_count=rejection.total,
        progress=100,
        finished_at=timezone.now(),
    )
    audit_record(
        action=AuditEntry.Action.IMPORT,
        user=batch.imported_by,
        obj=batch,
        summary=f"Rejected {batch.file_name} ({batch.kind}): {rejection.total} problem(s)",
        details={"kind": batch.kind, "sha256": sha256, "errors": rejection.total},
    )


def _mark_interrupted(*, but: int) -> None:
    # The lock taken here is the statement's own and goes with it: it only tells which
    # batches nobody is importing. Their uploads will never be imported now.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH stale AS (
                SELECT id, upload_path FROM families_importbatch
                WHERE status = %(running)s AND id <> %(but)s
                  AND pg_try_advisory_xact_lock(%(lock_class)s, id::int)
            )
            UPDATE families_importbatch b
            SET status = %(failed)s, progress = 100, finished_at = now(), error_count = 1,
                errors = %(errors)s, upload_path = ''
            FROM stale WHERE b.id = stale.id
            RETURNING stale.upload_path
            """,
            {
                "failed": Status.FAILED,
                "running": Status.RUNNING,
                "but": but,
                "lock_class": BATCH_LOCK_CLASS,
                "errors": Jsonb([{"line": 0, "column": "", "message": INTERRUPTED}]),
            },
        )
        uploads = [upload for (upload,) in cursor.fetchall() if upload]
    for upload in uploads:
        (Path(settings.MEDIA_ROOT) / upload).unlink(missing_ok=True)


def _fail(batch: ImportBatch, error: BaseException) -> None:
    # Whatever went wrong, the batch must not stay "importing" for ever.
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=Status.FAILED,
        errors=[{"line": 0, "column": "", "message": f"The import failed: {error}"[:2000]}],
        error_count=1,
        progress=100,
        finished_at=timezone.now(),
    )


class _Progress:
    """Writes the batch's progress on a connection of its own, so that a browser polling the
    batch sees it move while the import's transaction is still open."""

    STEP = 2

    def __init__(self, batch_id: int) -> None:
        self.batch_id = batch_id
        self.size = 1
        self._last = 0
        self._connection = None
        self._blocked = False

    def report(self, percent: int) -> None:
        if self._blocked or percent < self._last + self.STEP:
            return
        self._last = percent
        if self._connection is None:
            self._connection = connections.create_connection(DEFAULT_DB_ALIAS)
            with self._connection.cursor() as cursor:
                # Progress is a courtesy: it must never wait on a lock the import itself (or
                # a transaction around it) holds, or the two would wait on each other.
                cursor.execute("SET lock_timeout = '200ms'")
        try:
            with self._connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE families_importbatch SET progress = %s WHERE id = %s",
                    [percent, self.batch_id],
                )
        except OperationalError:
            # Blocked once, blocked for the rest of this import: stop trying.
            self._blocked = True

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
