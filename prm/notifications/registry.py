"""Notification categories, which each user can turn off; apps declare theirs in their plugs module
(``notification_categories = [Category(...)]``, see ``prm.plugs``)."""

from dataclasses import dataclass

_categories: dict = {}


@dataclass(frozen=True)
class Category:
    """A category of e-mail notifications: ``code`` is stored in the preferences, ``label`` shown."""

    code: str
    label: str


def register_category(category: Category) -> None:
    _categories[category.code] = category.label


def categories() -> dict:
    """Every category's label by code, in the order the apps declared them (the preferences page's)."""
    return dict(_categories)
