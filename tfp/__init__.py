from . import service_processes  # noqa: F401  (registers its deployment check)
from .celery import app as celery_app

__all__ = ("celery_app",)
