"""Notification categories; apps register theirs in ``AppConfig.ready()``."""

_categories: dict = {}


def register_category(code: str, label) -> None:
    _categories[code] = label


def categories() -> dict:
    return dict(_categories)
