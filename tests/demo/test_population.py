"""The synthetic population generator (``bench/generate.py``, the demo data)."""

from __future__ import annotations

from datetime import date

from demo.population import KINDS, generate
from families.identification import recalculate_all
from families.imports import extract_import
from families.models import Household, ImportBatch

AS_OF = date(2014, 11, 15)


def file_bytes(paths) -> dict[str, bytes]:
    return {kind: path.read_bytes() for kind, path in paths.items()}


def test_the_same_seed_writes_the_same_files(tmp_path):
    first = generate(tmp_path / "a", households=50, seed=7, as_of=AS_OF)
    second = generate(tmp_path / "b", households=50, seed=7, as_of=AS_OF)
    other = generate(tmp_path / "c", households=50, seed=8, as_of=AS_OF)

    assert file_bytes(first) == file_bytes(second)
    assert file_bytes(first) != file_bytes(other)
    assert list(first) == KINDS


def test_a_few_percent_of_households_are_eligible(db, tmp_path):
    paths = generate(tmp_path, households=1500, seed=2012, as_of=AS_OF)
    for kind in KINDS:
        batch = extract_import(kind=kind, path=paths[kind], as_of=AS_OF)
        assert batch.status == ImportBatch.Status.SUCCEEDED, (kind, batch.errors[:3])

    run = recalculate_all(as_of=AS_OF)

    share = run.households_eligible / Household.objects.count()
    assert 0.01 <= share <= 0.08, share


def test_the_command_line_writes_every_kind(tmp_path, capsys):
    from bench.generate import main

    main(["--households", "20", "--out", str(tmp_path)])

    assert sorted(path.stem for path in tmp_path.glob("*.csv")) == sorted(KINDS)
    assert "20 households" in capsys.readouterr().out
