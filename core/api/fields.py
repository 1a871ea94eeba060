"""Fields every serializer of the API uses for numbers with decimals.

``PlainDecimalField`` is DRF's ``DecimalField`` behind the kernel's one rule for numbers
(``core.money.plain_decimal``): ``1e5``, ``１２３``, ``NaN``, ``Infinity``, ``+5`` or ``1_000`` answer
400 with a message that says what to write, whether they come as text or as a JSON number.
``ModelSerializer`` maps every model ``DecimalField`` to it; ``tests/core/test_money_input.py`` walks
every serializer of the project and fails on any other decimal field.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers

from core.money import plain_decimal


class PlainDecimalField(serializers.DecimalField):
    """A decimal (money, a rate, a weight) written as plain digits: ``"1234.50"``, ``"-3.10"``, or a
    JSON number written the same way (``1234.5``); never in exponent form."""

    def to_internal_value(self, data):
        try:
            value = plain_decimal(data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages[0], code="plain_decimal") from None
        # digits, places, min and max, and the rounding to the field's places stay DRF's
        return super().to_internal_value(value)


class ModelSerializer(serializers.ModelSerializer):
    """DRF's ModelSerializer with the model's decimal fields read by ``PlainDecimalField``."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DecimalField: PlainDecimalField,
    }
