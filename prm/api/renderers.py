"""The API's JSON renderer: DRF's, encoded by orjson.

A page of partners is 50 rows of 30 fields with their tier explanation and health in words
(75 KiB); Python's encoder spent a sixth of such a request on it. orjson writes the same bytes
several times faster: compact, UTF-8, every dict key as text, and what JSON has no type for
(datetimes, dates, times, decimals, lazy translations, durations) handed to DRF's own encoder, so
each reads exactly as it did. An indented answer (``Accept: application/json; indent=2``) and any
value orjson refuses go through DRF's renderer. (Not a NaN: orjson writes ``null`` where DRF's strict
encoder raised; the API sends no float that is not finite.)
"""

from __future__ import annotations

import orjson
from rest_framework import renderers
from rest_framework.utils.encoders import JSONEncoder

OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
_drf = JSONEncoder()


class JSONRenderer(renderers.JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is None:
            try:
                encoded = orjson.dumps(data, default=_drf.default, option=OPTIONS)
            except orjson.JSONEncodeError:
                pass  # DRF's renderer says what is wrong, or renders what orjson cannot
            else:  # DRF escapes the two line separators JavaScript once could not read in a string
                return encoded.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return super().render(data, accepted_media_type, renderer_context)
