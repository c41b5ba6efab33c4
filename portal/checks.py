"""System checks of the portal's own, run with ``manage.py check --deploy``."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.utils.module_loading import import_string

from benefits.evidence.scanning import NoScan


@register(Tags.security, deploy=True)
def check_secret_key_is_not_generated(app_configs, **kwargs):
    if getattr(settings, "USING_DEVELOPMENT_SECRET_KEY", False):
        return [
            Error(
                "SECRET_KEY is the generated development key.",
                hint="Set SECRET_KEY (or SECRET_KEY_FILE) in the production environment.",
                id="portal.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_debug_email_backend(app_configs, **kwargs):
    backend = settings.MAILERS["default"]["BACKEND"]
    if backend.endswith(("console.EmailBackend", "locmem.EmailBackend", "dummy.EmailBackend")):
        return [
            Error(
                f"Email goes to {backend.rsplit('.', 2)[-2]}, so nobody would receive it.",
                hint="Set EMAIL_BACKEND to an SMTP or provider backend in production.",
                id="portal.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_uploads_are_scanned(app_configs, **kwargs):
    path = settings.PORTAL_UPLOAD_SCANNER
    try:
        scanner = import_string(path)
    except ImportError as error:
        return [
            Error(
                f"PORTAL_UPLOAD_SCANNER {path!r} cannot be loaded ({error}), so every upload "
                "would fail.",
                hint='Set it to "benefits.evidence.scanning.ClamdScan" (or your own scanner).',
                id="portal.E004",
            )
        ]
    if isinstance(scanner, type) and issubclass(scanner, NoScan):
        return [
            Error(
                "Uploads are not scanned for viruses (PORTAL_UPLOAD_SCANNER is NoScan).",
                hint=(
                    'Set PORTAL_UPLOAD_SCANNER="benefits.evidence.scanning.ClamdScan" and '
                    "CLAMD_SOCKET, or CLAMD_HOST and CLAMD_PORT, where clamd listens."
                ),
                id="portal.E003",
            )
        ]
    return []
