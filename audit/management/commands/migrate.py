"""``migrate``, connected as the database's owner role, then granting the service's role its
privileges on what the migrations created (tfp/database_roles.py)."""

from django.core.management.commands import migrate

from tfp.database_roles import connected_as, grant_service_privileges


class Command(migrate.Command):
    help = migrate.Command.help + " Connects as the owner role (DATABASE_OWNER_URL)."

    def handle(self, *args, **options):
        using = options["database"]
        with connected_as("owner", using=using):
            super().handle(*args, **options)
            grant_service_privileges(using=using)
