from django.db import migrations

# TRUNCATE bypasses row triggers. The service's role holds no TRUNCATE privilege at all
# (tfp/database_roles.py); this refuses it to the owner too, short of switching the trigger off.

FORBID = """
CREATE TRIGGER audit_entry_not_truncated
    BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_is_append_only();
"""

ALLOW = "DROP TRIGGER audit_entry_not_truncated ON audit_auditentry;"


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
