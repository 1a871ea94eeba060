"""Request parsers: JSON that nests too deep for Python's parser is a bad request, not a crash."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONParserSafe(JSONParser):
    """DRF's JSON parser; a body nested deeper than the interpreter's recursion limit (a few
    thousand "[" in a row) answers 400 instead of a server error."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("The request body is nested too deep to be read.")) from exc
