"""Request parsers: JSON that nests too deep for Python's parser is a bad request, not a crash; NaN and
Infinity are refused in words; a JSON number keeps the text it was written as, so a money field can
refuse ``1e5`` sent as a number just as it refuses the text ``"1e5"`` (``core.money.plain_decimal``)."""

from __future__ import annotations

import codecs
import json

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding


class JSONNumber(float):
    """A JSON number with a fraction or an exponent (``1234.5``, ``1e5``): a float in every use, which
    also keeps ``literal``, the digits as the client wrote them."""

    def __new__(cls, literal):
        number = super().__new__(cls, literal)
        number.literal = literal if isinstance(literal, str) else repr(float(literal))
        return number


def _refuse_constant(name: str):
    raise ParseError(
        _("“%(name)s” is not a number Lingban accepts; write a plain number such as 1234.50.") % {"name": name}
    )


class JSONParserSafe(JSONParser):
    """DRF's JSON parser, and: a body nested deeper than the interpreter's recursion limit (a few
    thousand "[" in a row) answers 400 instead of a server error; ``NaN``, ``Infinity`` and
    ``-Infinity`` answer 400 with a message; numbers with a fraction or exponent are ``JSONNumber``."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})
        try:
            decoded_stream = codecs.getreader(encoding)(stream)
            return json.load(decoded_stream, parse_float=JSONNumber, parse_constant=_refuse_constant)
        except RecursionError as exc:
            raise ParseError(_("The request body is nested too deep to be read.")) from exc
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
