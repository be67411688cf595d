"""The benchmark's identified partner files (``bench/linkage/generate.py``): what the truth
says is what the files hold."""

from __future__ import annotations

import csv
from datetime import date

from bench.linkage.generate import PARTNERS, generate
from demo.population import generate as generate_population


def rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_partner_files_keep_one_identity_per_source_person_and_the_truth_aside(tmp_path):
    generate_population(tmp_path / "population", households=400, seed=3, as_of=date(2014, 11, 15))
    paths = generate(tmp_path / "population", tmp_path / "linkage", seed=5)
    again = generate(tmp_path / "population", tmp_path / "again", seed=5)

    population = {row["person_ref"]: row for row in rows(tmp_path / "population/people.csv")}
    index = {row["person_ref"] for row in rows(paths["people"])}
    truth = {(row["source"], row["source_person_id"]): row for row in rows(paths["truth"])}
    absent = [row for row in truth.values() if "absent" in row["cases"].split(";")]
    assert absent and all(row["person_ref"] == "" for row in absent)
    assert index < set(population)
    for source, partner in PARTNERS.items():
        for kind in partner.kinds:
            identities = {}
            for row in rows(paths[f"{source}/{kind}"]):
                assert "person_ref" not in row
                identity = (row["given_name"], row["family_name"], row["date_of_birth"])
                assert identities.setdefault(row["source_person_id"], identity) == identity
                assert (source, row["source_person_id"]) in truth
                assert row["date_of_birth"] <= "2014-11-15"
            referenced = rows(paths[f"referenced/{kind}"])
            assert {row["person_ref"] for row in referenced} <= index
    exact = [row for row in truth.values() if row["cases"] == ""]
    assert len(exact) > len(truth) / 2
    assert all(row["person_ref"] in index for row in exact)
    assert {name: path.read_bytes() for name, path in paths.items() if name != "people"} == {
        name: path.read_bytes() for name, path in again.items() if name != "people"
    }
