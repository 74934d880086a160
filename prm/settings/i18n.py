"""Languages, formats and time zone."""

from django.utils.translation import gettext_lazy as _

from .base import BASE_DIR, env

# --- i18n -----------------------------------------------------------------
LANGUAGE_CODE = "en"
FORMAT_MODULE_PATH = ["prm.formats"]  # English times without a closing period
LANGUAGES = [
    ("en", _("English")),
    ("pt-br", _("Portuguese (Brazil)")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("it", _("Italian")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
