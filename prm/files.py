"""Files are tenant data: private storage, checked uploads, authorized downloads.

- **Storage**: every file (uploads, generated PDF batches) goes through
  Django's default storage: a private folder (``MEDIA_ROOT``, never served
  by any route) for the demo and a single host, or an S3-compatible bucket
  (``S3_BUCKET``, MinIO in docker-compose.yml) that web and workers on
  different hosts share. Names are ``tenants/<tenant id>/<kind>/<random>``:
  nothing is guessable, the original name is kept on the row.
- **Uploads** are checked by content, not by name: a PDF must open as a PDF
  (pypdf), an image as a PNG or JPEG (Pillow), and both are capped in size
  (``PRM_MAX_UPLOAD_BYTES``). Errors name the field.
- **Downloads** go through views that find the owning row in the tenant's
  (and partner's) scope first, so anyone who cannot see the row gets 404;
  the file streams as an attachment (``file_response``), never inline.
"""

from __future__ import annotations

import io
import mimetypes
import uuid
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
ZIP = "application/zip"
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", ZIP: ".zip"}


def storage():
    return default_storage


@deconstructible
class TenantPath:
    """``upload_to`` for a tenant-owned row: ``tenants/<id>/<kind>/<random hex><ext>``."""

    def __init__(self, kind: str):
        self.kind = kind

    def __call__(self, instance, filename: str) -> str:
        return tenant_name(instance.tenant_id, self.kind, PurePath(filename).suffix.lower())

    def __eq__(self, other):
        return isinstance(other, TenantPath) and other.kind == self.kind


def tenant_name(tenant_id: int, kind: str, suffix: str = "") -> str:
    return f"tenants/{tenant_id}/{kind}/{uuid.uuid4().hex}{suffix}"


# --- checking uploads by content ---------------------------------------------------


@dataclass(frozen=True)
class Checked:
    content_type: str
    original_name: str


def _max_bytes() -> int:
    return settings.PRM_MAX_UPLOAD_BYTES


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _is_pdf(data: bytes) -> bool:
    if not data.startswith(b"%PDF-"):
        return False

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        return len(reader.pages) > 0
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        return False


def _image_type(data: bytes) -> str | None:

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None
    return {"PNG": PNG, "JPEG": JPEG}.get(kind)


def check_upload(upload, *, field: str, accept: tuple[str, ...]) -> Checked:
    """The upload's real type, or a ValidationError naming ``field``.

    ``accept`` holds content types among PDF, PNG and JPEG.
    """
    if upload is None:
        raise ValidationError({field: [_("Choose a file.")]})
    limit = _max_bytes()
    if getattr(upload, "size", 0) > limit:
        raise ValidationError(
            {field: [_("The file may be at most %(mb)d MB.") % {"mb": limit // (1024 * 1024)}]}
        )
    data = _read_all(upload)
    if len(data) > limit:
        raise ValidationError(
            {field: [_("The file may be at most %(mb)d MB.") % {"mb": limit // (1024 * 1024)}]}
        )
    found = PDF if PDF in accept and _is_pdf(data) else None
    if found is None and (PNG in accept or JPEG in accept):
        image = _image_type(data)
        found = image if image in accept else None
    if found is None:
        wanted = ", ".join(EXTENSIONS[kind].lstrip(".").upper() for kind in accept)
        raise ValidationError({field: [_("This file is not a readable %(types)s file.") % {"types": wanted}]})
    original = PurePath(getattr(upload, "name", "") or "").name[:255] or f"file{EXTENSIONS[found]}"
    # what is stored carries the extension of what it is, whatever it was called
    upload.name = f"upload{EXTENSIONS[found]}"
    return Checked(content_type=found, original_name=original)


# --- downloads -----------------------------------------------------------------------


def content_type_of(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def file_response(name: str, filename: str) -> FileResponse:
    """Stream a stored file as an attachment (404 when it is gone)."""
    if not name or not storage().exists(name):
        raise Http404(_("This file is not available."))
    response = FileResponse(
        storage().open(name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type=content_type_of(name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
