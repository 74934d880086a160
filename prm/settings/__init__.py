"""Settings, read from the environment (one module for every deployment).

PostgreSQL is the only database. Without ``DATABASE_URL`` the settings use the
embedded PostgreSQL that ``make demo`` and ``make test`` start (``prm/devdb.py``),
and Celery tasks run eagerly in-process. Production sets ``DATABASE_URL``,
``REDIS_URL`` (broker and result store), ``SECRET_KEY``, ``ALLOWED_HOSTS`` and
leaves ``DEBUG`` off; ``manage.py check --deploy`` is then clean.

One module per subject (``base``, ``database``, ``auth``, ``i18n``, ``files``, ``cache``,
``mail``, ``security``, ``api``, ``jobs``, ``product``, ``ops``); each imports what it needs from
``base``, so the order below does not matter. ``DJANGO_SETTINGS_MODULE`` stays ``prm.settings``.
"""

from .api import *  # noqa: F403
from .auth import *  # noqa: F403
from .base import *  # noqa: F403
from .cache import *  # noqa: F403
from .database import *  # noqa: F403
from .files import *  # noqa: F403
from .i18n import *  # noqa: F403
from .jobs import *  # noqa: F403
from .mail import *  # noqa: F403
from .ops import *  # noqa: F403
from .product import *  # noqa: F403
from .security import *  # noqa: F403
