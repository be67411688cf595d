"""How fast the discretion explorer answers over the large county.

    DATABASE_URL=postgres://... python bench/bench_discretion.py [--data bench/data/large]
        [--as-of 2014-11-15] [--rounds 3]

On the large county population (scale.md; imported once with the import service), with three
of the seven concern types in use and a fourth ticked, best of ``--rounds`` each:

- the explorer's statement alone (every type's figures and the ticked selection's, assessing
  every household);
- the explorer page as a coordinator gets it (sign-in, setting, statement, template), with
  its number of queries (target: under a second, ten queries or fewer);
- the page listing the families behind the largest figure (the eligible with the types
  ticked), first page;
- the floor of bench_eligibility (the plain GROUP BY passes a rules engine needs), for scale.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_eligibility import floor_seconds  # noqa: E402
from bench.common import (  # noqa: E402
    LARGE,
    ensure_large_files,
    line,
    load_population,
    require_database_url,
    setup_django,
    timed,
)

IN_USE = ["child_protection_plan", "domestic_abuse", "mental_health"]
TICKED = [*IN_USE, "substance_misuse"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=LARGE)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2014, 11, 15))
    parser.add_argument("--rounds", type=int, default=3, help="best of this many runs each")
    args = parser.parse_args(argv)
    require_database_url()
    data = ensure_large_files(args.data)
    setup_django()
    load_population(data)

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from accounts.roles import Role
    from families.models import Household, LocalDiscretionSettings
    from families.selectors.discretion import explore

    settings.SERVICE_DATE = args.as_of
    LocalDiscretionSettings.objects.all().delete()
    LocalDiscretionSettings.objects.create(concern_types=IN_USE)
    coordinator, _ = User.objects.get_or_create(username="bench-coordinator")
    coordinator.groups.add(coordinator.groups.model.objects.get(name=Role.COORDINATOR.label))
    client = Client(HTTP_HOST="localhost")
    client.force_login(coordinator)
    print(f"{Household.objects.count():,} households, as of {args.as_of}")

    def best(function):
        return min(timed(function) for _ in range(args.rounds))

    floor = min(floor_seconds(args.as_of, report=False) for _ in range(args.rounds))
    line("floor: the GROUP BY passes together", floor)

    seconds, exploration = best(lambda: explore(as_of=args.as_of, current=IN_USE, draft=TICKED))
    line(
        "the explorer's statement",
        seconds,
        f"{seconds / floor:.1f}x the floor; {exploration.eligible_now:,} eligible now, "
        f"{exploration.eligible:,} with substance misuse ticked (+{exploration.added:,})",
    )
    for row in exploration.types:
        print(f"    {row.label:<24} adds {row.adds:>6,}   drops {row.drops:>6,}")

    page = f"{reverse('families:discretion_explorer')}?draft=1&" + "&".join(
        f"types={t}" for t in TICKED
    )
    queries: list[str] = []

    def counted(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        client.get(page)
    seconds, response = best(lambda: client.get(page))
    assert response.status_code == 200, response.status_code
    line("the explorer page (coordinator)", seconds, f"{len(queries)} queries")

    families = f"{reverse('families:discretion_families')}?figure=eligible&draft=1&" + "&".join(
        f"types={t}" for t in TICKED
    )
    seconds, response = best(lambda: client.get(families))
    assert response.status_code == 200, response.status_code
    line("the families behind 'eligible', first page", seconds)


if __name__ == "__main__":
    main()
