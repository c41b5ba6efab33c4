"""Demo data: the one place every app adds what ``manage.py seed_demo`` creates.

Each app with demo data has a ``demo.py`` module with a ``seed(*, stdout) -> None``
function that is idempotent (safe to run again) and a ``SIGNINS`` list of the demo
sign-ins it creates. ``APPS`` gives the order, since later apps build on earlier ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from types import ModuleType

APPS = ["accounts", "benefits", "representatives", "journeys", "conversations", "appointments"]


@dataclass(frozen=True)
class DemoSignIn:
    role: str
    email: str
    password: str
    note: str = ""


def modules() -> list[ModuleType]:
    return [import_module(f"{app}.demo") for app in APPS]


def signins() -> list[DemoSignIn]:
    return [signin for module in modules() for signin in getattr(module, "SIGNINS", [])]
