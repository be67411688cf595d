"""Load test of the dashboards, caseload and case-file pages at county scale.

    DATABASE_URL=postgres://... python bench/bench_dashboards.py [--users 50] [--duration 60]
        [--warm-up 5] [--think 0.5-1.5] [--workers N] [--families-per-year 1800]

On the large county population (scale.md), loaded once through the import service if the
database has no people yet, a programme is set up once (it is kept, and found again on the
next run): three eligibility runs, on days in 2012/13, 2013/14 and 2014/15, each followed by
the attachment of up to ``--families-per-year`` eligible households with their frozen baseline
(``bench.bench_results.ATTACH``, a benchmark set-up rather than the service), allocated over
300 key workers; case notes, tasks and interventions on every case; cohort decisions; two
results runs and a claim pack through the services; commitments and targets.

Then gunicorn serves the project (production settings: DEBUG off, whitenoise's manifest,
persistent database connections) on 127.0.0.1, and ``--users`` threads, each signed in through
the sign-in form as a coordinator, a key worker or a finance officer, ask for the pages that
role uses (coordinators: the six coordinator dashboards, every caseload, any case file; key
workers: their dashboard, their caseload, their own case files; finance officers: the finance
dashboard), waiting ``--think`` seconds between requests, for ``--duration`` seconds after a
warm-up. Any answer but 200 is an error. Reported: p50, p95 and p99 latency, requests per
second, errors, and the machine's core count, overall and by page.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    ensure_large_files,
    load_population,
    require_database_url,
    setup_django,
)

PASSWORD = "Bench-dashboards-password-1"
ATTACH_DAYS = (date(2013, 1, 31), date(2013, 9, 30), date(2014, 6, 30))
KEY_WORKERS, COORDINATORS, FINANCE_OFFICERS = 300, 12, 6
# Of the signed-in users, these shares are coordinators and finance officers; the rest are
# key workers.
COORDINATOR_SHARE, FINANCE_SHARE = 0.3, 0.1

# Casework on every bench case, set-based: three contacts over the last 90 days (so some
# families go unseen for 14 days), a task done, one due around now, one later; two
# interventions, one in five of them cancelled.
CASEWORK = (
    """
INSERT INTO families_casenote
    (case_file_id, contact_type, occurred_at, others_seen, text, is_sensitive, author_id,
     created_at)
SELECT f.id, 'home_visit', now() - ((f.id * 7 + n * 29) %% 90) * interval '1 day',
       '', 'Visited the family (benchmark).', false, f.key_worker_id, now()
FROM families_casefile f CROSS JOIN generate_series(1, 3) AS n
WHERE f.rules_version = 'bench'
""",
    """
INSERT INTO families_task
    (case_file_id, title, due_on, assignee_id, done_on, done_by_id, created_by_id, created_at)
SELECT f.id, 'Benchmark task ' || n, current_date + ((n - 2) * ((f.id %% 20) - 5))::int,
       f.key_worker_id,
       CASE WHEN n = 1 THEN current_date - 30 END,
       CASE WHEN n = 1 THEN f.key_worker_id END,
       f.key_worker_id, now()
FROM families_casefile f CROSS JOIN generate_series(1, 3) AS n
WHERE f.rules_version = 'bench'
""",
    """
INSERT INTO families_intervention
    (case_file_id, intervention_type_id, provider, starts_on, status, cost, paid_from_budget,
     approval, approval_note, created_by_id, created_at)
SELECT f.id, (%(types)s::bigint[])[1 + (f.id + n) %% 3], 'Benchmark provider',
       f.attached_on + 14,
       CASE WHEN (f.id + n) %% 5 = 0 THEN 'cancelled' ELSE 'active' END,
       100 + (f.id * 37 + n * 101) %% 1900, false, 'not_needed', '', f.key_worker_id, now()
FROM families_casefile f CROSS JOIN generate_series(1, 2) AS n
WHERE f.rules_version = 'bench'
""",
    """
INSERT INTO families_cohortdecision
    (household_id, decision, reason, decided_by_id, decided_at, is_current)
SELECT f.household_id, 'confirmed', 'Confirmed (benchmark)', NULL, f.attached_on, true
FROM families_casefile f
WHERE f.rules_version = 'bench' AND NOT EXISTS (
    SELECT 1 FROM families_cohortdecision d WHERE d.household_id = f.household_id)
""",
)


# --- The programme ------------------------------------------------------------------------------


def _users(prefix: str, count: int, role) -> list:
    """``count`` users of ``role``, made once (the same password hash for all: hashing each
    with Argon2 would be most of the set-up)."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from accounts.models import User

    names = [f"{prefix}{n:03d}" for n in range(1, count + 1)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    password = make_password(PASSWORD)
    User.objects.bulk_create(
        User(username=name, first_name=prefix.title(), last_name=name[-3:], password=password)
        for name in names
        if name not in existing
    )
    users = list(User.objects.filter(username__in=names).order_by("username"))
    Group.objects.get(name=role.label).user_set.add(*users)
    return users


def set_up_programme(families_per_year: int) -> dict:
    from django.db import connection, transaction

    from accounts.roles import Role
    from bench.bench_results import ATTACH
    from casework.models import InterventionType
    from claims.models import ClaimWindow, Commitment
    from claims.services import claim_pack_build, claim_window_create
    from dashboards.models import Targets
    from families.dates import months_before
    from families.identification import recalculate_all
    from families.models import Allocation, CaseFile
    from outcomes.models import ResultsRun
    from outcomes.services import results_run

    key_workers = _users("benchkw", KEY_WORKERS, Role.KEY_WORKER)
    coordinators = _users("benchco", COORDINATORS, Role.COORDINATOR)
    finance = _users("benchfo", FINANCE_OFFICERS, Role.FINANCE_OFFICER)

    types = [
        InterventionType.objects.get_or_create(name=name)[0].pk
        for name in ("Parenting course", "Debt advice", "Family mediation")
    ]
    bench_cases = CaseFile.objects.filter(rules_version="bench")
    for day in ATTACH_DAYS:
        if bench_cases.filter(attached_on=day).exists():
            continue
        started = time.perf_counter()
        recalculate_all(as_of=day, trigger="bench")
        with connection.cursor() as cursor:
            cursor.execute(
                ATTACH,
                {
                    "day": day,
                    "from": months_before(day, 6),
                    "families": families_per_year,
                    "key_worker": key_workers[0].pk,
                },
            )
        print(f"eligibility and attachment on {day}: {time.perf_counter() - started:.1f} s")
    if not Allocation.objects.filter(case_file__rules_version="bench").exists():
        with transaction.atomic(), connection.cursor() as cursor:
            # Each key worker gets an even share of the families, and the allocation to match.
            cursor.execute(
                "UPDATE families_casefile SET key_worker_id = "
                "(%(workers)s::bigint[])[1 + id %% %(n)s] WHERE rules_version = 'bench'",
                {"workers": [u.pk for u in key_workers], "n": len(key_workers)},
            )
            cursor.execute(
                "INSERT INTO families_allocation "
                "(case_file_id, key_worker_id, allocated_on, allocated_at) "
                "SELECT id, key_worker_id, attached_on, now() FROM families_casefile "
                "WHERE rules_version = 'bench'"
            )
            for statement in CASEWORK:
                cursor.execute(statement, {"types": types})
    if not ResultsRun.objects.filter(trigger="bench").exists():
        for day in (date(2014, 10, 31), date(2015, 3, 31)):
            started = time.perf_counter()
            results_run(day, trigger="bench")
            print(f"results run as of {day}: {time.perf_counter() - started:.1f} s")
    if not ClaimWindow.objects.filter(name="2014-10").exists():
        claim_pack_build(window=claim_window_create(name="2014-10"))
        claim_window_create(name="2015-05")
    for year, families in ((2012, 1100), (2013, 1500), (2014, 1500)):
        Commitment.objects.update_or_create(financial_year=year, defaults={"families": families})
    if not Targets.objects.exists():
        Targets.objects.create(cohort_size=4100, caseload_limit=20)
    with connection.cursor() as cursor:
        # What autovacuum would have done by the time anyone looked at a dashboard.
        cursor.execute("VACUUM ANALYZE")
    return {
        "key_workers": key_workers,
        "coordinators": coordinators,
        "finance": finance,
    }


def describe_programme() -> str:
    from casework.models import CaseNote, Intervention, Task
    from claims.models import Claim
    from families.models import CaseFile, Household
    from outcomes.models import FirstAchieved

    return (
        f"{Household.objects.count():,} households, {CaseFile.objects.count():,} attached "
        f"families, {KEY_WORKERS} key workers, {CaseNote.objects.count():,} case notes, "
        f"{Task.objects.count():,} tasks, {Intervention.objects.count():,} interventions, "
        f"{FirstAchieved.objects.count():,} results achieved, {Claim.objects.count():,} claims"
    )


# --- The server ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment() -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-secret-key-not-for-use-anywhere-else-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain http on 127.0.0.1, as the CI smoke test does.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "CONN_MAX_AGE": "3600",
        "LOG_LEVEL": "ERROR",
        # Production settings need a broker; the pages timed here queue no task.
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"),
    }


@contextmanager
def gunicorn(workers: int):
    environment = production_environment()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "tfp.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--backlog",
            "256",
        ],
        cwd=ROOT,
        env=environment,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield port, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- CPU accounting ---------------------------------------------------------------------------

_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class CpuUse:
    workers: float
    database: float
    generator: float
    rest: float

    def __sub__(self, other: CpuUse) -> CpuUse:
        return CpuUse(
            self.workers - other.workers,
            self.database - other.database,
            self.generator - other.generator,
            self.rest - other.rest,
        )


def _process_seconds(pid: int | str) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    # utime and stime, the 14th and 15th fields of the line (counted from the pid).
    return (int(fields[11]) + int(fields[12])) / _TICKS


def cpu_use(master: int, backends: list[int]) -> CpuUse:
    """CPU seconds so far: gunicorn's workers, their PostgreSQL backends, this process, and the
    rest of the machine (other people's work, when the machine is shared)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    workers = sum(_process_seconds(pid) for pid in children)
    database = sum(_process_seconds(pid) for pid in backends)
    generator = _process_seconds(os.getpid())
    busy = [int(n) for n in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    # Everything but idle and iowait.
    machine = (sum(busy) - busy[3] - busy[4]) / _TICKS
    return CpuUse(workers, database, generator, machine - workers - database - generator)


def database_backends() -> list[int]:
    """The server processes of this database's other connections (gunicorn's, kept open)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [pid for (pid,) in cursor.fetchall()]


# --- The load -----------------------------------------------------------------------------------

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Visitor:
    """One signed-in user asking for the pages of their role."""

    username: str
    # Each page is as likely as the next; a page with several paths (case files) takes one.
    pages: list[tuple[str, list[str]]]
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, connection, method: str, path: str, body: str | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location", ""), content

    def sign_in(self, port: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        _, _, page = self.request(connection, "GET", "/sign-in/")
        token = _CSRF.search(page.decode()).group(1)
        body = urlencode(
            {"csrfmiddlewaretoken": token, "username": self.username, "password": PASSWORD}
        )
        status, location, _ = self.request(connection, "POST", "/sign-in/", body)
        if status != 302 or "sign-in" in location:
            raise RuntimeError(f"{self.username} could not sign in ({status} {location})")
        connection.close()

    def run(self, port, think, started_at, ends_at, timings, errors) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        chooser = random.Random(self.username)
        while time.monotonic() < ends_at:
            label, paths = chooser.choice(self.pages)
            path = chooser.choice(paths)
            began = time.monotonic()
            try:
                status, _, _ = self.request(connection, "GET", path)
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                connection.close()
            took = time.monotonic() - began
            if began >= started_at:
                timings[label].append(took)
                if status != 200:
                    errors[label].append(status)
            time.sleep(chooser.uniform(*think))


def visitors(people: dict, count: int) -> list[Visitor]:
    from families.models import CaseFile

    attached = list(
        CaseFile.objects.filter(rules_version="bench").values_list("household__ref", "key_worker")
    )
    sample = random.Random(2014).sample(attached, min(200, len(attached)))
    coordinator_pages = [
        ("coordinator: progress", ["/dashboards/progress/"]),
        ("coordinator: caseloads dashboard", ["/dashboards/caseloads/"]),
        ("coordinator: results", ["/dashboards/results/"]),
        ("coordinator: value for money", ["/dashboards/value-for-money/"]),
        ("coordinator: income and claims", ["/dashboards/finance/"]),
        ("coordinator: data freshness", ["/dashboards/data/"]),
        ("coordinator: case file", [f"/families/{ref}/case/" for ref, _ in sample]),
    ]
    coordinators = round(count * COORDINATOR_SHARE)
    finance = round(count * FINANCE_SHARE)
    found = []
    for n in range(coordinators):
        user = people["coordinators"][n % len(people["coordinators"])]
        found.append(Visitor(user.username, coordinator_pages))
    for n in range(finance):
        user = people["finance"][n % len(people["finance"])]
        found.append(
            Visitor(user.username, [("finance: income and claims", ["/dashboards/finance/"])])
        )
    for user in people["key_workers"][: count - coordinators - finance]:
        mine = [f"/families/{ref}/case/" for ref, worker in attached if worker == user.pk]
        found.append(
            Visitor(
                user.username,
                [
                    ("key worker: dashboard", ["/dashboards/key-worker/"]),
                    ("key worker: caseload", ["/families/caseload/"]),
                    ("key worker: case file", mine),
                ],
            )
        )
    return found


# Timed one at a time after the load, not part of it: the coordinators' list of every case
# file takes a third of a second alone at this scale, which would swamp the other figures.
ALONE_ONLY = [("coordinator: every caseload", ["/families/caseloads/"])]


def alone(port: int, users: list[Visitor], rounds: int = 5) -> dict[str, float]:
    """Each page's median time with nothing else asking: its service time."""
    medians = {}
    seen = set()
    for visitor in users:
        pages = visitor.pages + (ALONE_ONLY if visitor.pages[0][0].startswith("coord") else [])
        for label, paths in pages:
            if label in seen:
                continue
            seen.add(label)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            took = []
            for n in range(rounds + 1):
                began = time.monotonic()
                status, _, _ = visitor.request(connection, "GET", paths[n % len(paths)])
                if status != 200:
                    raise RuntimeError(f"{label}: {status}")
                took.append(time.monotonic() - began)
            medians[label] = statistics.median(took[1:])
    return medians


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(timings, errors, seconds: float) -> None:
    every = [t for values in timings.values() for t in values]
    failed = sum(len(e) for e in errors.values())

    def row(label: str, values: list[float], failures: int) -> str:
        return (
            f"{label:<36} {len(values):>7,} {failures:>6} {len(values) / seconds:>7.1f} "
            f"{percentile(values, 0.50) * 1000:>7.0f} {percentile(values, 0.95) * 1000:>7.0f} "
            f"{percentile(values, 0.99) * 1000:>7.0f} {statistics.mean(values) * 1000:>7.0f}"
        )

    print(
        f"{'page':<36} {'requests':>7} {'errors':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'mean':>7}"
    )
    for label in sorted(timings):
        print(row(label, timings[label], len(errors[label])))
    print(row("all pages", every, failed))
    for label, statuses in sorted(errors.items()):
        if statuses:
            print(f"errors on {label}: {sorted(set(map(str, statuses)))}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--warm-up", type=float, default=5)
    parser.add_argument(
        "--think",
        default="0.5-1.5",
        help="seconds each user waits between requests, as LOW-HIGH (uniform); 0-0 for none",
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--families-per-year", type=int, default=1800)
    args = parser.parse_args(argv)
    think = tuple(float(x) for x in args.think.split("-"))

    require_database_url()
    setup_django()
    load_population(ensure_large_files())
    people = set_up_programme(args.families_per_year)
    print(describe_programme())
    users = visitors(people, args.users)

    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list] = defaultdict(list)
    load_before = os.getloadavg()[0]
    with gunicorn(args.workers) as (port, master):
        for visitor in users:
            visitor.sign_in(port)
        started_at = time.monotonic() + args.warm_up
        ends_at = started_at + args.duration
        threads = [
            threading.Thread(
                target=visitor.run, args=(port, think, started_at, ends_at, timings, errors)
            )
            for visitor in users
        ]
        for thread in threads:
            thread.start()
        time.sleep(max(0.0, started_at - time.monotonic()))
        backends = database_backends()
        before = cpu_use(master, backends)
        time.sleep(max(0.0, ends_at - time.monotonic()))
        used = cpu_use(master, backends) - before
        for thread in threads:
            thread.join()
        service_times = alone(port, users)
    kinds = defaultdict(int)
    for visitor in users:
        kinds[visitor.pages[0][0].split(":")[0]] += 1
    mix = ", ".join(f"{n} {kind}s" for kind, n in sorted(kinds.items()))
    print(
        f"{len(users)} signed-in users ({mix}), "
        f"think time {think[0]:g}-{think[1]:g} s, {args.duration:g} s measured after a "
        f"{args.warm_up:g} s warm-up; gunicorn with {args.workers} sync workers; "
        f"{os.cpu_count()} cores (the load generator runs on the same machine; load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after)"
    )
    report(timings, errors, args.duration)
    print(
        "Each page alone afterwards (median of 5, ms): "
        + ", ".join(
            f"{label} {seconds * 1000:.0f}" for label, seconds in sorted(service_times.items())
        )
    )
    requests = sum(len(values) for values in timings.values())
    print(
        f"CPU over the measured {args.duration:g} s, of {os.cpu_count() * args.duration:g} s "
        f"there were: gunicorn workers {used.workers:.1f} s "
        f"({used.workers / requests * 1000:.0f} ms a request), their PostgreSQL backends "
        f"{used.database:.1f} s ({used.database / requests * 1000:.0f} ms a request), the load "
        f"generator {used.generator:.1f} s, the rest of the machine {used.rest:.1f} s"
    )


if __name__ == "__main__":
    main()
