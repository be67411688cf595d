"""Rows between PostgreSQL and Arrow by COPY, on Django's connection.

Linkage reads every person of the index and every source person of a file at once, and
writes back their candidates; a cursor's row-by-row fetch or ``executemany`` costs a Python
object per value, COPY in CSV costs one buffer. Both functions run on Django's connection,
so they see and join the caller's transaction (``transaction.atomic``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
from django.db import connection
from psycopg import sql

# PostgreSQL type oids of what linkage moves, and their Arrow types. A column of another
# type arrives as text; cast it in the query if it matters.
_ARROW_TYPES = {
    16: pa.bool_(),  # boolean
    20: pa.int64(),  # bigint
    21: pa.int16(),  # smallint
    23: pa.int32(),  # integer
    700: pa.float32(),  # real
    701: pa.float64(),  # double precision
    1082: pa.date32(),  # date
}


def query_to_arrow(query: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pa.Table:
    """The rows of ``query`` (``%s`` placeholders, bound client-side) as an Arrow table.

    Column types come from PostgreSQL's own description of the query; NULL stays null and
    an empty string stays empty (CSV COPY quotes empty strings, not NULLs).
    """
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        statement = sql.SQL(query)
        # The query's shape without running it: its columns and their types.
        cursor.execute(sql.SQL("SELECT * FROM ({}) AS shape LIMIT 0").format(statement), params)
        names = [column.name for column in cursor.description]
        types = {
            column.name: _ARROW_TYPES.get(column.type_code, pa.string())
            for column in cursor.description
        }
        buffer = io.BytesIO()
        copy_sql = sql.SQL("COPY ({}) TO STDOUT (FORMAT csv, HEADER)").format(statement)
        with cursor.copy(copy_sql, params) as copy:
            for block in copy:
                buffer.write(block)
    if not buffer.tell():
        return pa.table({name: pa.array([], type=types[name]) for name in names})
    buffer.seek(0)
    return pa_csv.read_csv(
        buffer,
        read_options=pa_csv.ReadOptions(use_threads=True),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(
            column_types=types,
            null_values=[""],
            true_values=["t"],
            false_values=["f"],
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
        ),
    )


def arrow_to_table(table: pa.Table, *, target: str, columns: Sequence[str]) -> int:
    """Append ``table``'s ``columns`` to the database table ``target``; returns the row count.

    One ``COPY … FROM STDIN`` in CSV: Arrow writes nulls as bare empty fields and empty
    strings quoted, which is how PostgreSQL's CSV COPY tells them apart.
    """
    if table.num_rows == 0:
        return 0
    buffer = io.BytesIO()
    pa_csv.write_csv(
        table.select(list(columns)),
        buffer,
        write_options=pa_csv.WriteOptions(include_header=False, quoting_style="needed"),
    )
    copy_sql = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
        sql.Identifier(*target.split(".")),
        sql.SQL(", ").join(sql.Identifier(column) for column in columns),
    )
    with connection.cursor() as wrapper, wrapper.cursor.copy(copy_sql) as copy:
        copy.write(buffer.getbuffer())
    return table.num_rows
