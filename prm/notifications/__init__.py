"""E-mail notifications by category, which each user can turn off (``notify``)."""


def notify(**kwargs):
    """``services.notify``, reachable as ``prm.notifications.notify``."""
    from .services import notify as _notify  # noqa: PLC0415 - the package loads with the app registry, before models

    return _notify(**kwargs)
