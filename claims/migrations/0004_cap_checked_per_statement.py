from django.db import migrations

# The cap of migration 0003 checked every inserted claim on its own, one query per row; a
# pack of thousands of claims is one INSERT, so the check now runs once per statement over
# the families the statement touched (transition tables).

FORWARD = """
DROP TRIGGER claims_claim_cap ON claims_claim;
DROP FUNCTION claims_claim_within_r();

CREATE FUNCTION claims_claims_within_r() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    over record;
BEGIN
    -- One family's claims are checked one transaction at a time, so two cannot both pass:
    -- the second waits for the first to commit, then sees its claims.
    PERFORM 1 FROM families_household
    WHERE id IN (SELECT household_id FROM changed WHERE status = 'included')
    ORDER BY id
    FOR UPDATE;
    SELECT c.household_id, sum(c.amount) AS claimed, min(c.results_element) AS r INTO over
    FROM claims_claim c
    WHERE c.status = 'included'
      AND c.household_id IN (SELECT household_id FROM changed WHERE status = 'included')
    GROUP BY c.household_id
    HAVING sum(c.amount) > min(c.results_element)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'claims for household % would total % over its results element %',
            over.household_id, over.claimed, over.r
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER claims_claim_cap_insert AFTER INSERT ON claims_claim
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION claims_claims_within_r();
CREATE TRIGGER claims_claim_cap_update AFTER UPDATE ON claims_claim
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION claims_claims_within_r();
"""

BACKWARD = """
DROP TRIGGER claims_claim_cap_update ON claims_claim;
DROP TRIGGER claims_claim_cap_insert ON claims_claim;
DROP FUNCTION claims_claims_within_r();

CREATE FUNCTION claims_claim_within_r() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    claimed numeric;
BEGIN
    IF NEW.status <> 'included' THEN
        RETURN NEW;
    END IF;
    PERFORM 1 FROM families_household WHERE id = NEW.household_id FOR UPDATE;
    SELECT coalesce(sum(amount), 0) INTO claimed
    FROM claims_claim
    WHERE household_id = NEW.household_id AND status = 'included' AND id <> NEW.id;
    IF claimed + NEW.amount > NEW.results_element THEN
        RAISE EXCEPTION 'claims for household % would total % over its results element %',
            NEW.household_id, claimed + NEW.amount, NEW.results_element
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER claims_claim_cap BEFORE INSERT OR UPDATE OF status, amount ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_claim_within_r();
"""


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_database_guards")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
