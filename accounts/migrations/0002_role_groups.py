from django.db import migrations

ROLE_LABELS = ["Key worker", "Coordinator", "Finance officer", "Data officer", "Auditor", "Administrator"]
ADMIN_PERMISSIONS = [
    ("accounts", "user", ["add", "change", "view"]),
    ("auth", "group", ["view"]),
]


def create_role_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for label in ROLE_LABELS:
        Group.objects.get_or_create(name=label)
    administrators = Group.objects.get(name="Administrator")
    for app_label, model, actions in ADMIN_PERMISSIONS:
        for action in actions:
            administrators.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
            )


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_LABELS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
