"""Check characters of Chinese identity numbers (DOMAIN.md §6).

* Unified Social Credit Code, GB 32100-2015: 18 characters from ``0-9A-HJ-NP-RTUWXY``; the last is
  a MOD 31-3 check character over the first 17 (weights 3^(i-1) mod 31).
* Resident ID number, GB 11643-1999: 17 digits and an ISO 7064 MOD 11-2 check character (0-9 or X);
  digits 7-14 are the birth date, digit 17 odd for men and even for women.

python-stdnum is not used: its USCC check refuses valid codes whose first characters are letters
(every village collective economic organisation code starts with N2).
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, …, 28
ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]  # 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, …, 2
ID_CHECK = "10X98765432"  # check character by S mod 11


def uscc_check_character(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalise_uscc(value: str) -> str:
    return (value or "").strip().upper()


def validate_uscc(value: str) -> str:
    """Return the upper-cased code or raise ValidationError with a message saying what is wrong."""
    code = normalise_uscc(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d.") % {"n": len(code)},
            code="uscc_length",
        )
    bad = [c for c in code if c not in USCC_ALPHABET]
    if bad:
        raise ValidationError(
            _("“%(chars)s” cannot appear in a unified social credit code (I, O, Z, S and V are never used).")
            % {"chars": "".join(dict.fromkeys(bad))},
            code="uscc_characters",
        )
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "The check character of this unified social credit code is wrong: the last character should be "
                "“%(expected)s”, not “%(actual)s”. Check the code against the business licence."
            )
            % {"expected": expected, "actual": code[17]},
            code="uscc_check",
        )
    return code


def id_check_character(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: datetime.date
    gender: str  # "M" or "F"
    region_code: str


def parse_resident_id(value: str) -> ResidentId:
    """Validate an 18-character resident ID number and read birth date and gender from it."""
    number = (value or "").strip().upper()
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("A resident ID number has 17 digits followed by a digit or X."), code="id_format")
    expected = id_check_character(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _(
                "The check character of this ID number is wrong: the last character should be “%(expected)s”. "
                "Check the number against the ID card."
            )
            % {"expected": expected},
            code="id_check",
        )
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("The birth date in this ID number does not exist."), code="id_birth_date") from None
    if birth > datetime.date.today() or birth.year < 1900:
        raise ValidationError(_("The birth date in this ID number is not possible."), code="id_birth_date")
    gender = "M" if int(number[16]) % 2 else "F"
    return ResidentId(number=number, birth_date=birth, gender=gender, region_code=number[:6])


def validate_resident_id(value: str) -> str:
    return parse_resident_id(value).number


def upgrade_15_digit_id(old: str) -> str:
    """Pre-1999 15-digit number → 18 digits: insert "19" before the year and add the check character."""
    old = (old or "").strip()
    if len(old) != 15 or not old.isdigit():
        raise ValidationError(_("An old ID number has 15 digits."), code="id_format")
    first17 = old[:6] + "19" + old[6:]
    return first17 + id_check_character(first17)


ORG_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def org_code_check_character(first8: str) -> str:
    """GB 11714-1997 check character of an organisation code (positions 9–17 of a USCC)."""
    total = sum(ORG_CODE_ALPHABET.index(c) * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def clean_name(value) -> str:
    """A person's or an organisation's name as typed, normalised (NFC, outer spaces removed).

    Refuses invisible and control characters (Unicode categories Cc and Cf: a zero-width space, a
    right-to-left override that reverses what the next reader sees), which no name contains; a name
    made only of them would otherwise look empty on every page.
    """
    text = unicodedata.normalize("NFC", str(value or "")).strip()
    hidden = sorted({f"U+{ord(ch):04X}" for ch in text if unicodedata.category(ch) in ("Cc", "Cf")})
    if hidden:
        raise ValidationError(
            _("The name contains invisible or control characters (%(chars)s); type it again.")
            % {"chars": ", ".join(hidden)},
            code="name_hidden_characters",
        )
    return text
