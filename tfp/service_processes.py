"""What the processes that serve users need before they start.

With DEBUG off, the web server, the Celery worker and beat refuse to start without a broker
(settings.SERVICE_REFUSAL): in production nothing may quietly run a long import inside a
web request. The management commands are left to run their work in-process, as scripts and
the acceptance checks of data-formats.md drive them.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def refuse_to_serve_without_a_broker(**_signal_arguments) -> None:
    if settings.SERVICE_REFUSAL:
        raise ImproperlyConfigured(settings.SERVICE_REFUSAL)


@checks.register(checks.Tags.security, deploy=True)
def broker_named(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """``check --deploy`` says so too, before anyone tries to start the service."""
    if settings.SERVICE_REFUSAL:
        return [checks.Error(settings.SERVICE_REFUSAL, id="tfp.E001")]
    return []
