"""gunicorn's application for the bench's ``load`` section: ``prm.wsgi`` on the bench's URLs (the
product's plus the bare views of ``bench/urls.py``), pages with the plain static storage (no
collectstatic manifest), as the bench's own process renders them."""

from django.conf import settings

from prm.wsgi import application

settings.ROOT_URLCONF = "bench.urls"
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

__all__ = ["application"]
