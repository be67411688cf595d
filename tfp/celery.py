from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tfp.settings")

app = Celery("tfp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="tfp.celery.ping")
def ping() -> str:
    """Health check: a worker that answers "pong" is connected to the broker and running."""
    return "pong"
