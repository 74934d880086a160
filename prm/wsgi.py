"""WSGI entry point (gunicorn prm.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prm.settings")
application = get_wsgi_application()
