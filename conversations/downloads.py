"""A request's attachment, served only after its row was found in the caller's scope (prm/files.py)."""

from django.http import Http404
from django.utils.translation import gettext as _

from prm.files import file_response


def attachment_response(partner_request):
    """Shared by the page and ``requests/{id}/attachment/``: 404 when the request has none."""
    if not partner_request.attachment:
        raise Http404(_("This request has no attachment."))
    name = partner_request.attachment.name
    suffix = name.rsplit(".", 1)[-1] if "." in name else "pdf"
    return file_response(name, partner_request.attachment_name or f"request-{partner_request.pk}.{suffix}")
