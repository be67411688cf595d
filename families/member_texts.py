"""The words a household is found by: its members' family names, full names and postcodes.

The identification list sorts and searches on them, so each eligibility run writes them onto
its rows. Gathering them means joining every assessed household's members, so the current
members' texts are kept on the household itself, refreshed set-based by whatever changes
members or people (a people import, anonymisation), and a run copies them. Only a household
whose members on the run's day are not its current members (someone joined or left after
that day) has its texts gathered for that day.
"""

from __future__ import annotations

from collections.abc import Iterable

# Over members ``p`` (families_person) grouped by household; NULL for a household with none.
TEXTS = """
    string_agg(DISTINCT p.family_name, ', ' ORDER BY p.family_name) AS family_names,
    string_agg(p.given_name || ' ' || p.family_name, ', '
               ORDER BY p.family_name, p.given_name) AS member_names,
    string_agg(DISTINCT p.postcode, ', ' ORDER BY p.postcode) AS postcodes
"""

_REFRESH = f"""
WITH texts AS (
    SELECT h.id, {TEXTS}
    FROM families_household h
    LEFT JOIN families_membership m ON m.household_id = h.id AND m.valid_to IS NULL
    LEFT JOIN families_person p ON p.id = m.person_id
    WHERE h.id = ANY(%(households)s)
    GROUP BY h.id
)
UPDATE families_household h
SET family_names = coalesce(t.family_names, ''), member_names = coalesce(t.member_names, ''),
    postcodes = coalesce(t.postcodes, '')
FROM texts t
WHERE h.id = t.id
  AND (h.family_names, h.member_names, h.postcodes) IS DISTINCT FROM
      (coalesce(t.family_names, ''), coalesce(t.member_names, ''), coalesce(t.postcodes, ''))
"""


def refresh_member_texts(cursor, household_ids: Iterable[int]) -> None:
    """Rewrite the current members' texts of ``household_ids`` from their open memberships."""
    ids = list(household_ids)
    if ids:
        cursor.execute(_REFRESH, {"households": ids})
