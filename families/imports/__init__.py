"""Partner-extract imports (data-formats.md): one CSV of one kind, streamed through COPY,
validated in one set-based pass and merged all or nothing."""

from families.imports.kinds import KINDS
from families.imports.services import (
    extract_import,
    import_batch_create,
    import_batch_run,
    import_upload_queue,
    import_upload_run,
)

__all__ = [
    "KINDS",
    "extract_import",
    "import_batch_create",
    "import_batch_run",
    "import_upload_queue",
    "import_upload_run",
]
