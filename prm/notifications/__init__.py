"""E-mail notifications by category, which each user can turn off (``notify``)."""


def notify(**kwargs):
    from .services import notify as _notify

    return _notify(**kwargs)
