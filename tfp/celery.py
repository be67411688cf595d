from __future__ import annotations

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tfp.settings")

app = Celery("tfp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
@signals.beat_init.connect
def _refuse_without_a_broker(**kwargs) -> None:
    # Imported here: the Celery app is made before Django's settings are loaded.
    from django.core.exceptions import ImproperlyConfigured

    from tfp.service_processes import refuse_to_serve_without_a_broker

    try:
        refuse_to_serve_without_a_broker()
    except ImproperlyConfigured as refusal:
        # Celery logs and carries on after an exception in a signal handler; an exit stops it.
        raise SystemExit(str(refusal)) from None


@app.task(name="tfp.celery.ping")
def ping() -> str:
    """Health check: a worker that answers "pong" is connected to the broker and running."""
    return "pong"
