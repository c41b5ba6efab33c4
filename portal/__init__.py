"""The project package: settings, URLs, the Celery app, health checks and shared parts."""

from portal.celery import app as celery_app

__all__ = ("celery_app",)
