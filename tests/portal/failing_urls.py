"""The portal's URLs plus a page that always fails, to see the 500 page as people do."""

from __future__ import annotations

from django.urls import path

from portal.urls import handler400, handler403, handler404, handler500
from portal.urls import urlpatterns as portal_urlpatterns


def broken_page(request):
    raise RuntimeError("a bug in a page")


urlpatterns = [path("broken/", broken_page), *portal_urlpatterns]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
