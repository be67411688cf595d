from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from claims.models import PackFile
from claims.services import ClaimRefused, claim_pack_build, claim_window_create, pack_file_get


class Command(BaseCommand):
    help = (
        "Build a claim window's pack (or return it if it has been built), creating the window "
        "if needed, and write it as CSV, XLSX or PDF. The pack is not submitted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--window", required=True, help="YYYY-MM")
        parser.add_argument("--format", required=True, choices=PackFile.Format.values)
        parser.add_argument("--out", required=True, help="the file to write")

    def handle(self, *args, **options):
        try:
            window = claim_window_create(name=options["window"])
            pack = claim_pack_build(window=window)
        except ClaimRefused as error:
            raise CommandError(str(error)) from error
        pack_file = pack_file_get(pack=pack, fmt=options["format"])
        with open(options["out"], "wb") as out:
            out.write(pack_file.content)
        self.stdout.write(
            f"Claim pack {window.name} ({pack.get_status_display().lower()}) written to "
            f"{options['out']} (sha256 {pack_file.sha256})."
        )
