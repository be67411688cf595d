"""Rows between PostgreSQL and Arrow by COPY: types kept, NULL apart from the empty string,
inside the caller's transaction."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest
from django.db import connection, transaction

from families.linkage.transfer import arrow_to_table, query_to_arrow


@pytest.fixture
def scratch(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE scratch (id bigint, name text, born date, score double "
            "precision, flag boolean, note text)"
        )
    return "scratch"


ROWS = pa.table(
    {
        "id": pa.array([1, 2, 3], pa.int64()),
        "name": ['Smith, "Jo"', "", None],
        "born": pa.array([date(2001, 2, 3), None, date(1999, 12, 31)], pa.date32()),
        "score": [0.25, None, 1e-9],
        "flag": [True, False, None],
        "note": ["two\nlines", "plain", "x"],
    }
)


def test_a_table_written_by_copy_reads_back_the_same(scratch):
    written = arrow_to_table(ROWS, target=scratch, columns=ROWS.column_names)
    read = query_to_arrow("SELECT * FROM scratch ORDER BY id")

    assert written == 3
    assert read.schema.field("id").type == pa.int64()
    assert read.schema.field("born").type == pa.date32()
    assert read.to_pylist() == ROWS.to_pylist()


def test_parameters_are_bound_and_an_empty_result_keeps_its_columns(scratch):
    arrow_to_table(ROWS, target=scratch, columns=["id", "name"])

    some = query_to_arrow("SELECT id, name FROM scratch WHERE id >= %s ORDER BY id", [2])
    none = query_to_arrow("SELECT id, born FROM scratch WHERE id > %s", [10])

    assert some.to_pylist() == [{"id": 2, "name": ""}, {"id": 3, "name": None}]
    assert none.num_rows == 0 and none.schema.field("born").type == pa.date32()


def test_the_copy_joins_the_callers_transaction(scratch):
    with pytest.raises(RuntimeError), transaction.atomic():
        arrow_to_table(ROWS, target=scratch, columns=ROWS.column_names)
        assert query_to_arrow("SELECT count(*) AS n FROM scratch")["n"][0].as_py() == 3
        raise RuntimeError("the caller's work failed")

    assert query_to_arrow("SELECT count(*) AS n FROM scratch")["n"][0].as_py() == 0
