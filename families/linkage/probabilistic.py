"""Probabilistic matching: which of the council's people a partner's person is.

A Fellegi–Sunter model over given name, family name, date of birth and postcode, built
and run by Splink on DuckDB in this process (linkage.md "Linking", step 2). Its
parameters come from the data being linked, never set by hand:

- ``u`` (how often two different people agree at each level) by random sampling of pairs;
- ``m`` (how often one person's two records agree) by expectation maximisation over pairs
  that share a date of birth (for the names and postcode), then over pairs that share
  names and postcode (for the date of birth);
- the prior (how likely two random records are one person) from a strict deterministic
  rule's matches, divided by that rule's recall, which is the product of the trained ``m``
  of its three exact levels;
- term-frequency adjustment on the family name: agreeing on a rare name says more than
  agreeing on a common one.

Candidates are found by blocking rules (shared date of birth; shared names and year; …)
so the work grows with the records, not their product.

The index holds each person once, so a source person is at most one of its candidates:
each candidate's probability is its odds over one plus the odds of all candidates
(``2 ** match_weight`` each). With a single candidate that is Splink's own match
probability; twins, who agree on everything but the given name, share it, and the one
whose given name agrees takes nearly all of it.

Pure functions of Arrow tables: no Django, no database, nothing downloaded (DuckDB's
extension autoloading is off; what it needs is built in).
"""

from __future__ import annotations

import logging
import math
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

# Same data, same model, same candidates: the random sampling of ``u`` is seeded.
SEED = 2012
# Pairs sampled for ``u``; more changes the estimates in the third decimal only.
U_MAX_PAIRS = 1_000_000
# Predictions far below any threshold are not kept (their odds are a rounding error in the
# sum a candidate's probability is divided by).
KEEP_MATCH_WEIGHT_ABOVE = -20.0

# Usual short forms of given names, each group one name. A short form shared by two names
# (Alex, Sam, Chris, Charlie) joins their groups: the date of birth and the rest decide.
NICKNAME_GROUPS: tuple[tuple[str, ...], ...] = (
    ("WILLIAM", "BILL", "BILLY", "WILL", "WILLIE", "WILLY"),
    ("ROBERT", "BOB", "BOBBY", "ROB", "ROBBIE", "BERT"),
    ("RICHARD", "DICK", "RICH", "RICHIE", "RICKY", "RICK"),
    ("EDWARD", "ED", "EDDIE", "TED", "TEDDY", "NED"),
    ("JAMES", "JIM", "JIMMY", "JAMIE"),
    ("JOHN", "JACK", "JOHNNY", "JON"),
    ("THOMAS", "TOM", "TOMMY"),
    ("MICHAEL", "MIKE", "MICK", "MICKY", "MIKEY"),
    ("DANIEL", "DAN", "DANNY"),
    ("MATTHEW", "MATT", "MATTY"),
    ("JOSEPH", "JOE", "JOEY"),
    ("BENJAMIN", "BEN", "BENNY"),
    ("SAMUEL", "SAMANTHA", "SAM", "SAMMY"),
    ("ALEXANDER", "ALEXANDRA", "ALEX", "SANDY", "ALEC", "LEXI"),
    ("CHRISTOPHER", "CHRISTINE", "CHRISTINA", "CHRIS", "KIT", "CHRISSY"),
    ("CHARLES", "CHARLOTTE", "CHARLIE", "CHARLEY", "CHUCK", "LOTTIE"),
    ("ANTHONY", "TONY"),
    ("NICHOLAS", "NICK", "NICKY"),
    ("JONATHAN", "JONNY"),
    ("PATRICK", "PAT", "PADDY"),
    ("PETER", "PETE"),
    ("STEPHEN", "STEVEN", "STEVE", "STEVIE"),
    ("TIMOTHY", "TIM", "TIMMY"),
    ("ANDREW", "ANDY", "DREW"),
    ("FREDERICK", "FRED", "FREDDIE", "FREDDY"),
    ("HENRY", "HARRY", "HAL"),
    ("ALFRED", "ALFIE", "ALF"),
    ("OLIVER", "OLLIE", "OLLY"),
    ("JOSHUA", "JOSH"),
    ("ZACHARY", "ZAC", "ZACK"),
    ("ELIZABETH", "LIZ", "LIZZIE", "LIZZY", "BETH", "BETTY", "LIBBY", "ELIZA", "BETSY"),
    ("MARGARET", "MAGGIE", "MEG", "PEGGY", "MADGE"),
    ("CATHERINE", "KATHERINE", "KATHRYN", "KATE", "KATIE", "CATH", "CATHY", "KATHY", "KAT"),
    ("REBECCA", "BECKY", "BECCA"),
    ("JENNIFER", "JENNY", "JEN"),
    ("VICTORIA", "VICKY", "TORI"),
    ("JESSICA", "JESS", "JESSIE"),
    ("ABIGAIL", "ABBIE", "ABBY", "ABI"),
    ("SUSAN", "SUE", "SUSIE"),
    ("DEBORAH", "DEBBIE", "DEB"),
    ("PATRICIA", "TRISH", "PATSY"),
    ("ELEANOR", "ELLIE", "NELL", "NELLIE"),
    ("FLORENCE", "FLO", "FLOSSIE"),
    ("AMELIA", "MILLIE"),
    ("ISABELLA", "ISABEL", "BELLA", "IZZY", "ISSY"),
    ("SOPHIA", "SOPHIE"),
    ("GEORGINA", "GEORGIE"),
    ("JOANNE", "JOANNA", "JO"),
    ("NATALIE", "NAT", "TALIA"),
)

LABELS = {
    "given_name": "Given name",
    "family_name": "Family name",
    "date_of_birth": "Date of birth",
    "postcode": "Postcode",
}
FIELDS = tuple(LABELS)


@dataclass(frozen=True)
class Scored:
    """Candidates for each source person, and the trained model that scored them."""

    candidates: pa.Table
    model: dict[str, Any]


CANDIDATE_SCHEMA = pa.schema(
    [
        ("source_person_id", pa.int64()),
        ("person_id", pa.int64()),
        ("rank", pa.int64()),
        ("probability", pa.float64()),
        ("match_weight", pa.float64()),
        ("contributions", pa.string()),
    ]
)


def _level(sql: str, label: str, **options: Any) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, **options}


def _null(column: str) -> dict[str, Any]:
    return _level(
        f"{column}_l IS NULL OR {column}_r IS NULL", "Not given on one side", is_null_level=True
    )


COMPARISONS: list[dict[str, Any]] = [
    {
        "output_column_name": "given_name",
        "comparison_description": LABELS["given_name"],
        "comparison_levels": [
            _null("given_norm"),
            _level("given_norm_l = given_norm_r", "The same"),
            _level("given_first_l = given_first_r", "The same first given name"),
            _level("given_canon_l = given_canon_r", "A usual short form (Bill for William)"),
            _level(
                "jaro_winkler_similarity(given_norm_l, given_norm_r) >= 0.92",
                "Nearly the same spelling (Jaro-Winkler ≥ 0.92)",
            ),
            _level(
                "jaro_winkler_similarity(given_norm_l, given_norm_r) >= 0.8",
                "Similar spelling (Jaro-Winkler ≥ 0.80)",
            ),
            _level("TRUE", "Different"),
        ],
    },
    {
        "output_column_name": "family_name",
        "comparison_description": LABELS["family_name"],
        "comparison_levels": [
            _null("family_norm"),
            _level(
                "family_norm_l = family_norm_r",
                "The same",
                tf_adjustment_column="family_norm",
                tf_adjustment_weight=1.0,
            ),
            _level(
                "list_has_any(family_parts_l, family_parts_r)",
                "One part of a double-barrelled name",
            ),
            _level(
                "jaro_winkler_similarity(family_norm_l, family_norm_r) >= 0.92",
                "Nearly the same spelling (Jaro-Winkler ≥ 0.92)",
            ),
            _level(
                "jaro_winkler_similarity(family_norm_l, family_norm_r) >= 0.8",
                "Similar spelling (Jaro-Winkler ≥ 0.80)",
            ),
            _level("TRUE", "Different"),
        ],
    },
    {
        "output_column_name": "date_of_birth",
        "comparison_description": LABELS["date_of_birth"],
        "comparison_levels": [
            _null("dob"),
            _level("dob_l = dob_r", "The same"),
            _level("dob_swapped_l = dob_r", "Day and month swapped"),
            _level("hamming(dob_text_l, dob_text_r) = 1", "One digit different"),
            _level(
                "hamming(dob_text_l, dob_text_r) = 2 AND list_sort(string_split(dob_text_l, ''))"
                " = list_sort(string_split(dob_text_r, ''))",
                "Two digits swapped",
            ),
            _level("TRUE", "Different"),
        ],
    },
    {
        "output_column_name": "postcode",
        "comparison_description": LABELS["postcode"],
        "comparison_levels": [
            _null("postcode_norm"),
            _level("postcode_norm_l = postcode_norm_r", "The same"),
            _level("postcode_sector_l = postcode_sector_r", "The same sector (a nearby street)"),
            _level("postcode_district_l = postcode_district_r", "The same district"),
            _level("TRUE", "Different (moved, or a slip)"),
        ],
    },
]

# Candidate pairs: any pair that agrees on one of these. Each catches what the others miss
# (a mistyped or swapped date of birth, a nickname, a move), none pairs everyone with
# everyone.
PREDICTION_BLOCKING_RULES = [
    block_on("dob"),
    block_on("family_norm", "given_canon", "dob_year"),
    block_on("family_norm", "given_canon", "dob_month_day"),
    block_on("postcode_norm", "given_canon"),
    block_on("postcode_norm", "family_norm"),
    "l.dob_swapped = r.dob",
]
# Expectation maximisation: a pass that fixes the date of birth trains the rest, a pass
# that fixes the names and postcode trains the date of birth.
TRAINING_BLOCKING_RULES = [
    block_on("dob"),
    block_on("given_norm", "family_norm", "postcode_norm"),
]
# Nearly no two different people agree on all three; its recall comes from the trained m.
DETERMINISTIC_RULE = block_on("given_norm", "family_norm", "dob")

# One shape for both inputs: the fields as given (shown on the review page) and their
# normalised forms (compared).
_PREPARE_SQL = """
WITH cleaned AS (
    SELECT
        id AS unique_id,
        given_name, family_name, date_of_birth, postcode,
        upper(strip_accents(coalesce(given_name, ''))) AS given_upper,
        upper(strip_accents(coalesce(family_name, ''))) AS family_upper,
        regexp_replace(upper(coalesce(postcode, '')), '[^A-Z0-9]', '', 'g') AS postcode_compact,
        date_of_birth AS dob
    FROM {table}
), named AS (
    SELECT
        *,
        nullif(regexp_replace(given_upper, '[^A-Z]', '', 'g'), '') AS given_norm,
        nullif(regexp_replace(
            string_split_regex(trim(regexp_replace(given_upper, '[^A-Z\\s-]', '', 'g')),
                               '[\\s-]+')[1],
            '[^A-Z]', '', 'g'), '') AS given_first,
        nullif(regexp_replace(family_upper, '[^A-Z]', '', 'g'), '') AS family_norm,
        list_filter(
            string_split_regex(trim(regexp_replace(family_upper, '[^A-Z\\s-]', '', 'g')),
                               '[\\s-]+'),
            lambda part: length(part) > 1) AS family_parts,
        CASE WHEN length(postcode_compact) BETWEEN 5 AND 7
             THEN left(postcode_compact, length(postcode_compact) - 3) END AS postcode_district,
        CASE WHEN length(postcode_compact) BETWEEN 5 AND 7
             THEN right(postcode_compact, 3) END AS postcode_inward
    FROM cleaned
)
SELECT
    unique_id, given_name, family_name, date_of_birth, postcode,
    given_norm, given_first,
    coalesce(nicknames.canonical, given_first) AS given_canon,
    family_norm, family_parts,
    dob,
    strftime(dob, '%Y%m%d') AS dob_text,
    year(dob) AS dob_year,
    strftime(dob, '%m%d') AS dob_month_day,
    CASE WHEN day(dob) <= 12 AND day(dob) <> month(dob)
         THEN make_date(year(dob), day(dob), month(dob)) END AS dob_swapped,
    postcode_district || ' ' || postcode_inward AS postcode_norm,
    postcode_district || ' ' || left(postcode_inward, 1) AS postcode_sector,
    postcode_district
FROM named
LEFT JOIN nicknames ON nicknames.form = named.given_first
"""


def _nickname_table() -> pa.Table:
    forms, canonicals = [], []
    for group in NICKNAME_GROUPS:
        for form in group:
            forms.append(form)
            canonicals.append(group[0])
    return pa.table({"form": forms, "canonical": canonicals})


def _connection(work_dir: str) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(
        ":memory:",
        config={
            # Never reach for the internet: everything used is statically linked.
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            # Past this DuckDB spills to disk rather than crowd the database and the web
            # server out of the machine.
            "memory_limit": "4GB",
            "temp_directory": work_dir,
        },
    )


@contextmanager
def _splink_quiet() -> Iterator[None]:
    """Splink warns about every level a small file never shows (no swapped dates among five
    people): true, expected, and noise in an import's output."""
    splink_logger = logging.getLogger("splink")
    level = splink_logger.level
    splink_logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        splink_logger.setLevel(level)


def _empty() -> pa.Table:
    return CANDIDATE_SCHEMA.empty_table()


def score_candidates(
    *,
    source_persons: pa.Table,
    people: pa.Table,
    exclude_pairs: pa.Table | None = None,
    max_candidates: int = 5,
    floor: float = 0.01,
    model: dict[str, Any] | None = None,
) -> Scored:
    """Train a model on these records and return each source person's best candidates.

    ``source_persons`` and ``people``: ``id`` (int64), ``given_name``, ``family_name``,
    ``date_of_birth`` (date32), ``postcode``. ``exclude_pairs`` (``source_person_id``,
    ``person_id``): pairs a data officer has said are not one person, never proposed.
    Returns up to ``max_candidates`` candidates per source person with probability at
    least ``floor``, best first, each with the contribution of every field to its match
    weight (the prior first) as JSON text.

    ``model``, a ``Scored.model`` kept from an earlier run, scores with that model instead
    of training one: for a handful of new source persons, too few to learn from. Its prior
    (how likely one source person is one given person) holds while the index is about the
    size it was.
    """
    if source_persons.num_rows == 0 or people.num_rows == 0:
        return Scored(candidates=_empty(), model={})
    with tempfile.TemporaryDirectory(prefix="tfp-linkage-") as work_dir, _splink_quiet():
        con = _connection(work_dir)
        try:
            return _score(
                con,
                source_persons=source_persons,
                people=people,
                exclude_pairs=exclude_pairs,
                max_candidates=max_candidates,
                floor=floor,
                model=model,
            )
        finally:
            con.close()


def _score(
    con: duckdb.DuckDBPyConnection,
    *,
    source_persons: pa.Table,
    people: pa.Table,
    exclude_pairs: pa.Table | None,
    max_candidates: int,
    floor: float,
    model: dict[str, Any] | None,
) -> Scored:
    con.register("nicknames", _nickname_table())
    for name, table in (("raw_source_persons", source_persons), ("raw_people", people)):
        con.register(name, table)
        con.execute(
            f"CREATE TABLE {name[4:]} AS " + _PREPARE_SQL.format(table=name)  # noqa: S608
        )
    db_api = DuckDBAPI(connection=con)
    inputs = [
        db_api.register("source_persons", dataset_display_name="source_persons"),
        db_api.register("people", dataset_display_name="people"),
    ]
    if model is None:
        settings = SettingsCreator(
            link_type="link_only",
            comparisons=COMPARISONS,
            blocking_rules_to_generate_predictions=PREDICTION_BLOCKING_RULES,
            retain_intermediate_calculation_columns=True,
            additional_columns_to_retain=[*FIELDS],
        )
        linker = Linker(inputs, settings, log_level=None)
        _train(linker)
    else:
        linker = Linker(inputs, model, log_level=None)
    predictions = linker.inference.predict(
        threshold_match_weight=KEEP_MATCH_WEIGHT_ABOVE, warning_mode="never"
    )
    trained = linker.misc.save_model_to_json()
    if exclude_pairs is not None and exclude_pairs.num_rows:
        con.register("exclude_pairs", exclude_pairs.select(["source_person_id", "person_id"]))
    else:
        con.execute("CREATE TABLE exclude_pairs (source_person_id BIGINT, person_id BIGINT)")
    candidates = con.sql(
        _candidates_sql(trained, predictions.physical_name),
        params={"max_candidates": max_candidates, "floor": floor},
    ).to_arrow_table()
    return Scored(candidates=candidates.cast(CANDIDATE_SCHEMA), model=trained)


def _train(linker: Linker) -> None:
    training = linker.training
    # One pass over one seeded sample for every comparison: Splink's early stop, chunk by
    # chunk, would pass over it again and again waiting for levels rare among strangers (a
    # swapped date of birth) that never reach its count.
    training.estimate_u_using_random_sampling(
        max_pairs=U_MAX_PAIRS, seed=SEED, num_chunks=1, min_count_per_level=None
    )
    for rule in TRAINING_BLOCKING_RULES:
        training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    # The deterministic rule's recall is the chance one person's two records agree exactly
    # on all three of its fields: the product of those exact levels' trained m.
    levels = {
        comparison["output_column_name"]: comparison["comparison_levels"]
        for comparison in linker.misc.save_model_to_json()["comparisons"]
    }
    recall = 1.0
    for field in ("given_name", "family_name", "date_of_birth"):
        exact = next(level for level in levels[field] if not level.get("is_null_level"))
        recall *= exact.get("m_probability") or 1.0
    training.estimate_probability_two_random_records_match(
        [DETERMINISTIC_RULE], recall=min(max(recall, 0.05), 1.0)
    )


def _level_labels(model: dict[str, Any]) -> dict[str, dict[int, str]]:
    """Each comparison's levels by Splink's comparison vector value (null -1, else 0)."""
    labels: dict[str, dict[int, str]] = {}
    for comparison in model["comparisons"]:
        levels = comparison["comparison_levels"]
        value = sum(1 for level in levels if not level.get("is_null_level")) - 1
        by_value = {}
        for level in levels:
            if level.get("is_null_level"):
                by_value[-1] = level["label_for_charts"]
            else:
                by_value[value] = level["label_for_charts"]
                value -= 1
        labels[comparison["output_column_name"]] = by_value
    return labels


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _candidates_sql(model: dict[str, Any], predictions: str) -> str:
    """Orient pairs (source person, person), share probability, rank, explain (SQL)."""
    labels = _level_labels(model)
    prior = model["probability_two_random_records_match"]
    prior_weight = math.log2(prior / (1 - prior))
    entries = [
        "{'field': 'prior', 'label': 'Before comparing', 'source': NULL::VARCHAR, "
        "'person': NULL::VARCHAR, 'level': "
        + _quote("How likely two records are one person, before comparing them")
        + f", 'match_weight': round({prior_weight!r}, 2)}}"
    ]
    for field in FIELDS:
        cases = " ".join(
            f"WHEN {value} THEN {_quote(label)}" for value, label in labels[field].items()
        )
        weight = f"mw_{field}"
        if field == "family_name":
            weight = f"mw_{field} + mw_tf_adj_{field}"
        entries.append(
            f"{{'field': {_quote(field)}, 'label': {_quote(LABELS[field])}, "
            f"'source': CAST(source_{field} AS VARCHAR), "
            f"'person': CAST(person_{field} AS VARCHAR), "
            f"'level': CASE gamma_{field} {cases} END, "
            f"'match_weight': round({weight}, 2)}}"
        )
    oriented_fields = ",\n".join(
        f"CASE WHEN source_dataset_l = 'source_persons' THEN {field}_l ELSE {field}_r END "
        f"AS source_{field}, "
        f"CASE WHEN source_dataset_l = 'source_persons' THEN {field}_r ELSE {field}_l END "
        f"AS person_{field}"
        for field in FIELDS
    )
    weights = ", ".join(f"mw_{field}" for field in FIELDS) + ", mw_tf_adj_family_name"
    gammas = ", ".join(f"gamma_{field}" for field in FIELDS)
    return f"""
    WITH oriented AS (
        SELECT
            CASE WHEN source_dataset_l = 'source_persons' THEN unique_id_l ELSE unique_id_r END
                AS source_person_id,
            CASE WHEN source_dataset_l = 'source_persons' THEN unique_id_r ELSE unique_id_l END
                AS person_id,
            match_weight, {weights}, {gammas},
            {oriented_fields}
        FROM {predictions}
    ), allowed AS (
        SELECT oriented.* FROM oriented
        ANTI JOIN exclude_pairs USING (source_person_id, person_id)
    ), shared AS (
        SELECT
            *,
            pow(2.0, match_weight)
                / (1 + sum(pow(2.0, match_weight)) OVER (PARTITION BY source_person_id))
                AS probability
        FROM allowed
    ), ranked AS (
        SELECT
            *,
            row_number() OVER (
                PARTITION BY source_person_id ORDER BY probability DESC, person_id
            ) AS rank
        FROM shared
        WHERE probability >= $floor
    )
    SELECT
        source_person_id, person_id, rank, probability, match_weight,
        to_json([{", ".join(entries)}])::VARCHAR AS contributions
    FROM ranked
    WHERE rank <= $max_candidates
    ORDER BY source_person_id, rank
    """
