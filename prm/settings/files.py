"""Static files, and the tenants' files (a private folder or an S3 bucket), with their limits."""

from .base import BASE_DIR, DEBUG, env

# --- static and media -----------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
# Files are tenant data (prm/files.py): a private folder that no route serves,
# or, with S3_BUCKET, an S3-compatible bucket shared by web and workers on
# any number of hosts. Downloads go through views that check the owning row.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "/no-public-media/"  # never routed: files are fetched through authorized views
PRM_MAX_UPLOAD_BYTES = env.int("PRM_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
#: The largest CSV an import reads (sales, targets, rates); larger files are refused whole.
PRM_MAX_IMPORT_BYTES = env.int("PRM_MAX_IMPORT_BYTES", default=20 * 1024 * 1024)
#: An Excel import's limits: rows of its sheet, and the size of the workbook once unzipped.
PRM_MAX_IMPORT_ROWS = env.int("PRM_MAX_IMPORT_ROWS", default=100_000)
PRM_MAX_IMPORT_UNZIPPED_BYTES = env.int("PRM_MAX_IMPORT_UNZIPPED_BYTES", default=50 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
#: How long generated files (PDF batches) are kept; a beat job removes older ones.
PRM_GENERATED_FILES_DAYS = env.int("PRM_GENERATED_FILES_DAYS", default=7)
_DEFAULT_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"file_permissions_mode": 0o640, "directory_permissions_mode": 0o750},  # in MEDIA_ROOT
}
if env("S3_BUCKET", default=""):
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "region_name": env("S3_REGION", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
