from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import User


class ReadOnlyUserAdmin(UserAdmin):
    """Users are changed only on the service's own pages (``accounts:users``), where every
    grant and removal is audited and nobody changes their own account; here they are read."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _superusers_only(request) -> bool:
    return request.user.is_active and request.user.is_superuser


admin.site.register(User, ReadOnlyUserAdmin)
admin.site.site_header = "tfp administration"
# Django's admin writes only its own mutable log: superusers (made from the command line by
# whoever runs the server) only, not the service's administrators.
admin.site.has_permission = _superusers_only
