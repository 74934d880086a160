"""A reward's picture, served only after its row was found in the caller's scope (prm/files.py)."""

from prm.files import file_response


def picture_response(item):
    """Shared by the page and ``rewards/{id}/picture/``: 404 when the item has no picture."""
    return file_response(item.picture.name if item.picture else "", f"reward-{item.pk}{_suffix(item)}")


def _suffix(item) -> str:
    name = item.picture.name or ""
    return name[name.rfind(".") :] if "." in name else ""
