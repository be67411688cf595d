from django.db import migrations

# A saved case note is a record of what happened: corrections are addenda, and the database
# refuses to rewrite or remove either, as it does for the audit log.

FORBID = """
CREATE FUNCTION case_note_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case notes are append-only: % is not allowed on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER case_note_append_only
    BEFORE UPDATE OR DELETE ON families_casenote
    FOR EACH ROW EXECUTE FUNCTION case_note_is_append_only();
CREATE TRIGGER case_note_addendum_append_only
    BEFORE UPDATE OR DELETE ON families_casenoteaddendum
    FOR EACH ROW EXECUTE FUNCTION case_note_is_append_only();
"""

ALLOW = """
DROP TRIGGER case_note_addendum_append_only ON families_casenoteaddendum;
DROP TRIGGER case_note_append_only ON families_casenote;
DROP FUNCTION case_note_is_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("families", "0003_casework")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
