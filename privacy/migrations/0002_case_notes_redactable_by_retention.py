from django.db import migrations

# Case notes stay append-only (families 0004), with one exception the data-protection duties
# need: privacy.anonymise may overwrite their text, and only when it has set tfp.redacting
# for its own transaction. Deleting stays refused to everyone.

REDACTABLE = """
CREATE OR REPLACE FUNCTION case_note_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('tfp.redacting', true) = 'on' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'case notes are append-only: % is not allowed on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION case_note_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case notes are append-only: % is not allowed on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_erasure_retention_anonymisation"),
        ("families", "0004_case_notes_append_only"),
    ]

    operations = [migrations.RunSQL(REDACTABLE, APPEND_ONLY)]
