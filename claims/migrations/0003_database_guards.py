from django.db import migrations

# What the money rests on, enforced by PostgreSQL as well as by claims/services.py:
# - a submitted (or paid) pack never changes: its claims, its files, its sign-off; the only
#   changes allowed are "submitted -> paid" on the pack and "included -> withdrawn" on a claim
#   whose adjustment already exists;
# - adjustments are never edited or deleted;
# - the live claims of a family never add up to more than its R.
# TRUNCATE is left alone: the test runner's flush between transactional tests uses it.

FORWARD = """
CREATE FUNCTION claims_pack_is_frozen(pack bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT status IN ('submitted', 'paid') FROM claims_claimpack WHERE id = pack),
                    false)
$$;

CREATE FUNCTION claims_refuse(what text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a submitted claim pack is immutable: %', what
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE FUNCTION claims_claimpack_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status IN ('submitted', 'paid') THEN
        IF TG_OP = 'DELETE' THEN
            PERFORM claims_refuse('the pack cannot be deleted');
        END IF;
        IF NOT (OLD.status = 'submitted' AND NEW.status = 'paid'
                AND (to_jsonb(NEW) - 'status' - 'paid_by_id' - 'paid_at' - 'paid_on')
                    = (to_jsonb(OLD) - 'status' - 'paid_by_id' - 'paid_at' - 'paid_on')) THEN
            PERFORM claims_refuse('only recording payment is allowed');
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER claims_claimpack_frozen BEFORE UPDATE OR DELETE ON claims_claimpack
    FOR EACH ROW EXECUTE FUNCTION claims_claimpack_guard();

CREATE FUNCTION claims_claim_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF claims_pack_is_frozen(NEW.pack_id) THEN
            PERFORM claims_refuse('no claim can be added');
        END IF;
        RETURN NEW;
    END IF;
    IF claims_pack_is_frozen(OLD.pack_id) THEN
        IF TG_OP = 'DELETE' THEN
            PERFORM claims_refuse('a claim cannot be deleted');
        END IF;
        IF NOT (OLD.status = 'included' AND NEW.status = 'withdrawn'
                AND (to_jsonb(NEW) - 'status') = (to_jsonb(OLD) - 'status')
                AND EXISTS (SELECT 1 FROM claims_claimadjustment a WHERE a.claim_id = OLD.id)) THEN
            PERFORM claims_refuse('a claim is withdrawn by a linked adjustment, never edited');
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER claims_claim_frozen BEFORE INSERT OR UPDATE OR DELETE ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_claim_guard();

CREATE FUNCTION claims_claim_within_r() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    claimed numeric;
BEGIN
    IF NEW.status <> 'included' THEN
        RETURN NEW;
    END IF;
    -- One family's claims are checked one transaction at a time, so two cannot both pass.
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

CREATE FUNCTION claims_packfile_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF claims_pack_is_frozen(NEW.pack_id) THEN
            PERFORM claims_refuse('no file can be added');
        END IF;
        RETURN NEW;
    END IF;
    IF OLD.final OR claims_pack_is_frozen(OLD.pack_id) THEN
        PERFORM claims_refuse('its files never change');
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER claims_packfile_frozen BEFORE INSERT OR UPDATE OR DELETE ON claims_packfile
    FOR EACH ROW EXECUTE FUNCTION claims_packfile_guard();

CREATE FUNCTION claims_auditcheck_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF claims_pack_is_frozen((SELECT pack_id FROM claims_auditsample WHERE id = OLD.sample_id)) THEN
        PERFORM claims_refuse('its spot-check verdicts never change');
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER claims_auditcheck_frozen BEFORE UPDATE OR DELETE ON claims_auditcheck
    FOR EACH ROW EXECUTE FUNCTION claims_auditcheck_guard();

CREATE FUNCTION claims_adjustment_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'adjustments are never edited or deleted: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER claims_adjustment_append_only BEFORE UPDATE OR DELETE ON claims_claimadjustment
    FOR EACH ROW EXECUTE FUNCTION claims_adjustment_guard();
"""

BACKWARD = """
DROP TRIGGER claims_adjustment_append_only ON claims_claimadjustment;
DROP FUNCTION claims_adjustment_guard();
DROP TRIGGER claims_auditcheck_frozen ON claims_auditcheck;
DROP FUNCTION claims_auditcheck_guard();
DROP TRIGGER claims_packfile_frozen ON claims_packfile;
DROP FUNCTION claims_packfile_guard();
DROP TRIGGER claims_claim_cap ON claims_claim;
DROP FUNCTION claims_claim_within_r();
DROP TRIGGER claims_claim_frozen ON claims_claim;
DROP FUNCTION claims_claim_guard();
DROP TRIGGER claims_claimpack_frozen ON claims_claimpack;
DROP FUNCTION claims_claimpack_guard();
DROP FUNCTION claims_refuse(text);
DROP FUNCTION claims_pack_is_frozen(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_seed_rate_card")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
