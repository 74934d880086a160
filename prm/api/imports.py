"""The API side of file imports: a multipart ``file`` in, ``{"created", "unchanged"}`` or row errors out."""

from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from prm.imports import ImportRejected
from prm.ops import metrics


def csv_import(request, importer, *, duplicates: bool = False) -> Response:
    """Run ``importer(file)``: 200 with the counts (and the ``duplicates`` left out, for importers that
    report them), or 400 ``{"errors": [{"row", "field", "message"}]}``."""
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError({"file": ["Attach a CSV file as “file”."]})
    try:
        result = importer(upload)
    except ImportRejected as rejected:
        metrics.import_refused(len(rejected.errors))
        return Response({"errors": rejected.errors}, status=status.HTTP_400_BAD_REQUEST)
    body = {"created": result.created, "unchanged": result.unchanged}
    if duplicates:
        body["duplicates"] = result.duplicates
    return Response(body)
