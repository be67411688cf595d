"""Load and soak: concurrent signed-in users of every role against the production processes.

    DATABASE_URL=postgres://... CELERY_BROKER_URL=redis://127.0.0.1:6379/1 \\
        python bench/bench_load.py [--users 50] [--seconds 60] [--port 8765]

Starts what ``make stack`` starts — gunicorn (DEBUG off) and a Celery worker — on 127.0.0.1
only, against the given database, seeded once with the demo population (``seed_demo``).
Then ``--users`` virtual users, spread over the six roles as a council's staff would be
(key workers the most), each sign in through the real form and walk their role's pages for
``--seconds``: from the start page they follow a link of the page they are on, as a person
browses, with a short pause between pages. A nightly recalculation is queued to the worker
ten seconds in, so the pages are read while the worker writes.

Reported: requests, throughput, and p50/p95/p99 latency per role and overall. An error is a
server error (5xx), a refused or failed connection, a timeout, or a page that sends a
signed-in user back to sign in; the benchmark exits non-zero if there is any. Pages a link
leads to that answer 4xx (a POST-only address, say) are counted separately.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, require_database_url, setup_django  # noqa: E402

# How many of each role's users there are per 50: key workers are most of the staff.
MIX = {
    "key_worker": 20,
    "coordinator": 12,
    "finance_officer": 6,
    "data_officer": 5,
    "auditor": 4,
    "administrator": 3,
}
THINK_SECONDS = (0.3, 1.2)
TIMEOUT_SECONDS = 30
SKIP = ("/static/", "/assets/", "/sign-out/", "/admin/")


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    sign_ins: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    client_errors: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)


class VirtualUser(threading.Thread):
    def __init__(self, base: str, role: str, username: str, password: str, until: float, tally):
        super().__init__(daemon=True)
        self.base, self.role, self.username, self.password = base, role, username, password
        self.until, self.tally = until, tally
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.random = random.Random(f"{username}-{id(self)}")

    def fetch(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                kind = response.headers.get("Content-Type", "")
                text = response.read().decode("utf-8", "replace") if "html" in kind else ""
                return response.status, response.geturl(), text
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), ""

    def sign_in(self) -> bool:
        started = time.perf_counter()
        self.fetch("/sign-in/")
        token = next((c.value for c in self.cookies if c.name == "csrftoken"), "")
        status, url, _ = self.fetch(
            "/sign-in/",
            {"csrfmiddlewaretoken": token, "username": self.username, "password": self.password},
        )
        with self.tally.lock:
            self.tally.sign_ins.append(time.perf_counter() - started)
            if status != 200 or "/sign-in/" in url:
                self.tally.errors.append(f"{self.username}: sign-in answered {status} at {url}")
                return False
        return True

    def run(self) -> None:
        if not self.sign_in():
            return
        path = "/"
        while time.monotonic() < self.until:
            started = time.perf_counter()
            try:
                status, url, html = self.fetch(path)
            except Exception as error:  # a refused connection or a timeout is an error too
                status, url, html = 0, path, ""
                problem = f"{type(error).__name__}: {error}"
            else:
                problem = ""
            elapsed = time.perf_counter() - started
            with self.tally.lock:
                if status >= 500 or status == 0 or "/sign-in/" in urllib.parse.urlsplit(url).path:
                    self.tally.errors.append(f"{self.role} {path}: {status} {problem}".strip())
                elif status >= 400:
                    self.tally.client_errors[status] += 1
                else:
                    self.tally.latencies[self.role].append(elapsed)
            path = self.next_page(path, html)
            time.sleep(self.random.uniform(*THINK_SECONDS))

    def next_page(self, current: str, html: str) -> str:
        links = []
        for link in re.findall(r'href="([^"#]+)"', html):
            target = urllib.parse.urlsplit(urllib.parse.urljoin(current, link))
            if target.netloc or not target.path.startswith("/") or target.path.startswith(SKIP):
                continue
            links.append(target.path + (f"?{target.query}" if target.query else ""))
        if not links or self.random.random() < 0.15:
            return "/"
        return self.random.choice(links)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def seed() -> dict[str, tuple[str, str]]:
    """The demo population once, and a password for one demo user of each role, by role."""
    from demo.services import demo_seed

    seeded = demo_seed(reset_passwords=True)
    by_role: dict[str, tuple[str, str]] = {}
    for username, (role, password) in seeded.passwords.items():
        by_role.setdefault(role.value, (username, password))
    return by_role


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def wait_until_up(base: str, web: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if web.poll() is not None:
            sys.exit("gunicorn stopped while starting; see var/bench-load-web.log")
        try:
            urllib.request.urlopen(base + "/sign-in/", timeout=5).read()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    sys.exit("gunicorn did not answer in time")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--web-threads", type=int, default=8)
    args = parser.parse_args(argv)
    require_database_url()
    if not os.environ.get("CELERY_BROKER_URL"):
        sys.exit("Set CELERY_BROKER_URL to a Redis broker (the worker is part of the test).")

    setup_django()
    accounts = seed()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)

    base = f"http://127.0.0.1:{args.port}"
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain http on 127.0.0.1, as in the CI smoke test.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "LOG_LEVEL": "ERROR",
    }
    logs = ROOT / "var"
    logs.mkdir(exist_ok=True)
    bin_dir = Path(sys.executable).parent
    web = start(
        [
            str(bin_dir / "gunicorn"),
            "tfp.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.web_workers),
            "--threads",
            str(args.web_threads),
            "--worker-class",
            "gthread",
            "--timeout",
            "60",
        ],
        env,
        logs / "bench-load-web.log",
    )
    worker = start(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tfp",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
        ],
        env,
        logs / "bench-load-worker.log",
    )
    try:
        wait_until_up(base, web)
        tally = Tally()
        roles = [role for role, share in MIX.items() for _ in range(share)]
        roles = [roles[i * len(roles) // args.users] for i in range(args.users)]
        # Sign-ins are spread over the first five seconds, as people arrive, not all at once.
        until = time.monotonic() + args.seconds
        users = [
            VirtualUser(base, role, *accounts[role], until=until, tally=tally) for role in roles
        ]
        print(
            f"{args.users} users ({', '.join(f'{roles.count(r)} {r}' for r in MIX)}) "
            f"for {args.seconds} s against gunicorn on {base} and a Celery worker"
        )
        for user in users:
            user.start()
            time.sleep(5 / max(1, args.users))
        time.sleep(10)
        from families.tasks import nightly_recalculation

        nightly_recalculation.delay()
        for user in users:
            user.join(timeout=args.seconds + TIMEOUT_SECONDS + 30)
    finally:
        stop(web)
        stop(worker)

    return report(tally, args.seconds)


def report(tally: Tally, seconds: int) -> int:
    every = [value for values in tally.latencies.values() for value in values]
    print(f"\n{'role':<16} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for role in [*MIX, "all"]:
        values = every if role == "all" else tally.latencies.get(role, [])
        if not values:
            continue
        print(
            f"{role:<16} {len(values):>9} {statistics.median(values) * 1000:>8.0f} "
            f"{percentile(values, 0.95) * 1000:>8.0f} {percentile(values, 0.99) * 1000:>8.0f} "
            f"{max(values) * 1000:>8.0f}"
        )
    if tally.sign_ins:
        signing = tally.sign_ins
        print(
            f"{'sign-in':<16} {len(signing):>9} {statistics.median(signing) * 1000:>8.0f} "
            f"{percentile(signing, 0.95) * 1000:>8.0f}"
        )
    print(f"\nthroughput: {len(every) / seconds:.1f} pages/s")
    print(f"4xx from links (not errors): {dict(tally.client_errors) or 'none'}")
    print(f"errors: {len(tally.errors)}")
    for problem in tally.errors[:20]:
        print(f"  {problem}")
    return 1 if tally.errors else 0


if __name__ == "__main__":
    sys.exit(main())
