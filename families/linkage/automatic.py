"""Automatic linking (linkage.md, "Linking"): exact identifiers, then the matcher, then the
thresholds, for every source person that is neither linked nor decided on.

Everything is set-based over a temporary table of the source persons being compared, inside
the caller's transaction (an import's), so a rejected or failed import links nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from families.linkage.records import records_follow_links
from families.models import (
    Decision,
    ImportBatch,
    LinkageModel,
    LinkageSettings,
    LinkEvent,
    LinkMethod,
    LinkStatus,
)

# The matcher may propose at most this many candidates per source person.
MAX_CANDIDATES = 5
# Fewer source persons than this to compare (a few left over when people join the index, a
# small file) are too few to train a model on: they are scored with the source's latest
# model, if it has one.
TRAIN_FROM = 1_000


@dataclass(frozen=True)
class LinkingRun:
    # Source persons whose status or person changed (or that were new).
    changed: list[int]
    household_ids: set[int]


_TEMP_TABLES = ("link_pending", "link_outcome", "link_scored")

# Not linked, and not held by a decision: a link or an unlink someone decided is never undone
# by an automatic run, while one marked "no match" is compared again without those persons.
_PENDING = """
CREATE TEMP TABLE link_pending AS
SELECT sp.id, sp.source FROM families_sourceperson sp
WHERE sp.status <> %(linked)s AND sp.decision IN ('', %(no_match)s)
  AND (%(source)s::text IS NULL OR sp.source = %(source)s::text)
"""

_OUTCOME = """
CREATE TEMP TABLE link_outcome (
    id bigint PRIMARY KEY, status text NOT NULL, person_id bigint, method text NOT NULL,
    probability numeric(5, 4)
)
"""

# 1. Exact identifier: the source person's NINO (or else its UPN) is held by exactly one
# person, whose date of birth is the same. Two people holding one identifier is a mistake
# in somebody's data: neither is linked on it.
_EXACT = """
WITH holders AS (
    SELECT lp.id, %(nino)s AS method, 1 AS preference, count(*) AS holders,
           min(p.id) AS person_id, bool_and(p.date_of_birth = sp.date_of_birth) AS same_day
    FROM link_pending lp JOIN families_sourceperson sp ON sp.id = lp.id
    JOIN families_person p ON upper(replace(p.nino, ' ', '')) = sp.nino
    WHERE sp.nino <> ''
    GROUP BY lp.id
    UNION ALL
    SELECT lp.id, %(upn)s, 2, count(*), min(p.id), bool_and(p.date_of_birth = sp.date_of_birth)
    FROM link_pending lp JOIN families_sourceperson sp ON sp.id = lp.id
    JOIN families_person p ON upper(replace(p.upn, ' ', '')) = sp.upn
    WHERE sp.upn <> ''
    GROUP BY lp.id
)
INSERT INTO link_outcome (id, status, person_id, method, probability)
SELECT DISTINCT ON (h.id) h.id, %(linked)s, h.person_id, h.method, NULL
FROM holders h
WHERE h.holders = 1 AND h.same_day
  AND NOT EXISTS (
      SELECT FROM families_nomatch nm
      WHERE nm.source_person_id = h.id AND nm.person_id = h.person_id
  )
ORDER BY h.id, h.preference
"""

_UNSCORED_SOURCES = """
SELECT DISTINCT lp.source FROM link_pending lp
WHERE NOT EXISTS (SELECT FROM link_outcome o WHERE o.id = lp.id)
ORDER BY lp.source
"""

# Candidates are the matcher's latest word: whoever is compared again, or linked exactly,
# loses the earlier ones.
_FORGET_CANDIDATES = """
DELETE FROM families_linkcandidate c USING link_pending lp WHERE c.source_person_id = lp.id
"""

_SOURCE_PERSONS = """
SELECT sp.id, sp.given_name, sp.family_name, sp.date_of_birth, sp.postcode
FROM link_pending lp JOIN families_sourceperson sp ON sp.id = lp.id
WHERE lp.source = %s AND NOT EXISTS (SELECT FROM link_outcome o WHERE o.id = lp.id)
"""

_PEOPLE = "SELECT id, given_name, family_name, date_of_birth, postcode FROM families_person"

_EXCLUDED = """
SELECT nm.source_person_id, nm.person_id
FROM link_pending lp JOIN families_nomatch nm ON nm.source_person_id = lp.id
WHERE lp.source = %s
"""

_SCORED = """
CREATE TEMP TABLE link_scored (
    source_person_id bigint, person_id bigint, rank integer, probability double precision,
    match_weight double precision, contributions text
)
"""

_STORE_CANDIDATES = """
INSERT INTO families_linkcandidate
    (source_person_id, person_id, model_id, rank, probability, match_weight, contributions)
SELECT source_person_id, person_id, %(model)s, rank, probability, match_weight,
       contributions::jsonb
FROM link_scored
"""

# 2. The thresholds: linked when the best candidate reaches the link threshold and no other
# reaches the review threshold; a possible match when the best reaches the review
# threshold; otherwise unlinked. Candidates are ranked, so "no other" is rank 2.
_CLASSIFY = """
INSERT INTO link_outcome (id, status, person_id, method, probability)
SELECT lp.id, d.status, CASE WHEN d.status = %(linked)s THEN best.person_id END,
       CASE WHEN d.status = %(linked)s THEN %(probabilistic)s ELSE '' END,
       round(best.probability::numeric, 4)
FROM link_pending lp
LEFT JOIN families_linkcandidate best ON best.source_person_id = lp.id AND best.rank = 1
LEFT JOIN families_linkcandidate other ON other.source_person_id = lp.id AND other.rank = 2
CROSS JOIN LATERAL (
    SELECT CASE
        WHEN best.probability >= %(link_threshold)s
             AND coalesce(other.probability, 0) < %(review_threshold)s THEN %(linked)s
        WHEN best.probability >= %(review_threshold)s THEN %(possible)s
        ELSE %(unlinked)s
    END AS status
) d
WHERE NOT EXISTS (SELECT FROM link_outcome o WHERE o.id = lp.id)
"""

# 3. The outcome written, and a history entry for every source person that is new or whose
# status or person changed. Every CTE sees the rows as they were before the update.
_APPLY = """
WITH earlier AS (
    SELECT sp.id, sp.status, sp.person_id,
           NOT EXISTS (SELECT FROM families_linkevent e WHERE e.source_person_id = sp.id) AS new
    FROM families_sourceperson sp JOIN link_outcome o ON o.id = sp.id
), updated AS (
    UPDATE families_sourceperson sp
    SET status = o.status, person_id = o.person_id, method = o.method,
        match_probability = o.probability
    FROM link_outcome o
    WHERE sp.id = o.id
      AND (sp.status, sp.person_id, sp.method, sp.match_probability)
          IS DISTINCT FROM (o.status, o.person_id, o.method, o.probability)
    RETURNING sp.id
), events AS (
    INSERT INTO families_linkevent
        (source_person_id, from_status, to_status, from_person_id, to_person_id, method,
         probability, by_id, at, note, reason, import_batch_id)
    SELECT o.id, CASE WHEN e.new THEN '' ELSE e.status END, o.status, e.person_id,
           o.person_id, o.method, o.probability, NULL, now(), '', %(automatic)s, %(batch)s
    FROM link_outcome o JOIN earlier e ON e.id = o.id
    WHERE e.new OR (e.status, e.person_id) IS DISTINCT FROM (o.status, o.person_id)
    RETURNING source_person_id
)
SELECT ARRAY(SELECT source_person_id FROM events), (SELECT count(*) FROM updated)
"""


def link_pending(*, source: str | None, batch: ImportBatch | None = None) -> LinkingRun:
    """Compare every source person (of ``source``, or of every source) that is neither
    linked nor held by a decision with the people of the index, and record what came of it.

    Runs in the caller's transaction. Returns who changed and the households whose records
    moved, which the caller recalculates once it has committed.
    """
    settings = LinkageSettings.current()
    params = {
        "source": source,
        "batch": batch.pk if batch else None,
        "linked": LinkStatus.LINKED,
        "possible": LinkStatus.POSSIBLE,
        "unlinked": LinkStatus.UNLINKED,
        "nino": LinkMethod.NINO,
        "upn": LinkMethod.UPN,
        "probabilistic": LinkMethod.PROBABILISTIC,
        "automatic": LinkEvent.Reason.AUTOMATIC,
        "no_match": Decision.NO_MATCH,
        "link_threshold": settings.link_threshold,
        "review_threshold": settings.review_threshold,
    }
    with connection.cursor() as cursor:
        _drop(cursor)
        cursor.execute(_PENDING, params)
        if not cursor.rowcount:
            _drop(cursor)
            return LinkingRun(changed=[], household_ids=set())
        cursor.execute("ALTER TABLE link_pending ADD PRIMARY KEY (id)")
        cursor.execute("ANALYZE link_pending")
        cursor.execute(_OUTCOME)
        cursor.execute(_EXACT, params)
        cursor.execute(_FORGET_CANDIDATES)
        cursor.execute(_UNSCORED_SOURCES)
        for (unscored,) in cursor.fetchall():
            _score(cursor, source=unscored)
        cursor.execute(_CLASSIFY, params)
        cursor.execute(_APPLY, params)
        changed, _ = cursor.fetchone()
        _drop(cursor)
    return LinkingRun(
        changed=changed, household_ids=records_follow_links(source_person_ids=changed)
    )


def _score(cursor, *, source: str) -> None:
    """The matcher's candidates for the source persons of ``source`` not linked exactly,
    stored with the model that scored them: trained on them, or the source's latest."""
    # Splink and DuckDB take most of a second to load: only once there is something to score
    # (a referenced import, or one linked by identifiers alone, never needs them).
    from families.linkage import probabilistic, transfer

    source_persons = transfer.query_to_arrow(_SOURCE_PERSONS, [source])
    people = transfer.query_to_arrow(_PEOPLE)
    if not source_persons.num_rows or not people.num_rows:
        return
    kept = None
    if source_persons.num_rows < TRAIN_FROM:
        kept = LinkageModel.objects.filter(source=source).order_by("-trained_at", "-id").first()
    scored = probabilistic.score_candidates(
        source_persons=source_persons,
        people=people,
        exclude_pairs=transfer.query_to_arrow(_EXCLUDED, [source]),
        max_candidates=MAX_CANDIDATES,
        model=kept.splink_settings if kept else None,
    )
    model = kept or LinkageModel.objects.create(
        source=source,
        splink_settings=scored.model,
        source_persons=source_persons.num_rows,
        people=people.num_rows,
        candidates=scored.candidates.num_rows,
    )
    cursor.execute("DROP TABLE IF EXISTS pg_temp.link_scored")
    cursor.execute(_SCORED)
    columns = [
        "source_person_id",
        "person_id",
        "rank",
        "probability",
        "match_weight",
        "contributions",
    ]
    transfer.arrow_to_table(
        scored.candidates.select(columns), target="link_scored", columns=columns
    )
    cursor.execute(_STORE_CANDIDATES, {"model": model.pk})


def _drop(cursor) -> None:
    cursor.execute("DROP TABLE IF EXISTS " + ", ".join(f"pg_temp.{t}" for t in _TEMP_TABLES))
