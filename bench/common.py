"""What the benchmarks share: the large county population, timing and reporting."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LARGE = ROOT / "bench" / "data" / "large"
KINDS = [
    "people",
    "attendance",
    "exclusions",
    "education_status",
    "offences",
    "asb",
    "benefits",
    "employment",
    "work_progress",
    "concerns",
]


def require_database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("Set DATABASE_URL to the PostgreSQL database to benchmark against.")
    return url


def ensure_large_files(data: Path = LARGE) -> Path:
    """Generate the large county extracts once (deterministic, so reuse is safe)."""
    if not (data / "people.csv").exists():
        from bench.generate import main as generate

        generate(["--size", "large", "--out", str(data)])
    return data


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tfp.settings")
    # Development settings: a benchmark needs no SECRET_KEY of its own.
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_population(data: Path) -> None:
    """Import every extract through the import service if the database has no people yet."""
    from django.db import connection

    from families.imports import extract_import
    from families.models import Person

    if Person.objects.exists():
        return
    for kind in KINDS:
        seconds, batch = timed(lambda k=kind: extract_import(kind=k, path=data / f"{k}.csv"))
        print(f"{kind}: {batch.rows_read:,} rows imported in {seconds:.1f} s (set-up)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def start_up() -> float:
    """Python + Django start-up, as a ``manage.py`` process pays it before any work."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", "pass"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def line(label: str, seconds: float, note: str = "") -> None:
    print(f"{label:<48} {seconds:7.2f} s   {note}".rstrip())
