"""Check characters with the published test vectors of DOMAIN.md §6 and worked cases."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.validators import (
    id_check_character,
    parse_resident_id,
    upgrade_15_digit_id,
    uscc_check_character,
    validate_uscc,
)


def test_uscc_public_example_worked_by_hand():
    # values 9,1,3,5,0,1,0,0,21,0,0,0,1,0,0,30,4 × weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28
    # = 9+3+27+135+0+26+0+0+420+0+0+0+8+0+0+900+112 = 1640; 1640 mod 31 = 28; 31 − 28 = 3 → "3"
    assert uscc_check_character("91350100M000100Y4") == "3"
    assert validate_uscc("91350100M000100Y43") == "91350100M000100Y43"


def test_uscc_lower_case_is_accepted_and_upper_cased():
    assert validate_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"


def test_uscc_with_letters_in_front_is_valid():
    # a village collective economic organisation (N2…): python-stdnum would refuse it
    first17 = "N2371323MA3C4D5E6"
    code = first17 + uscc_check_character(first17)
    assert validate_uscc(code) == code


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y44", "uscc_check"),
        ("91350100M000100Y4", "uscc_length"),
        ("91350100M000100YO3", "uscc_characters"),  # O is never used
        ("", "uscc_length"),
    ],
)
def test_uscc_refused_with_a_reason(code, reason):
    with pytest.raises(ValidationError) as exc:
        validate_uscc(code)
    assert exc.value.code == reason


def test_uscc_message_names_the_expected_character():
    with pytest.raises(ValidationError) as exc:
        validate_uscc("91350100M000100Y44")
    assert "3" in exc.value.messages[0]


def test_resident_id_public_example_worked_by_hand():
    # 1,1,0,1,0,5,1,9,4,9,1,2,3,1,0,0,2 × 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2
    # = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 → "X"
    assert id_check_character("11010519491231002") == "X"
    parsed = parse_resident_id("11010519491231002x")
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == datetime.date(1949, 12, 31)
    assert parsed.gender == "F"  # 17th digit 2 is even
    assert parsed.region_code == "110105"


def test_resident_id_male_from_odd_sequence():
    first17 = "37132319800101001"
    parsed = parse_resident_id(first17 + id_check_character(first17))
    assert parsed.gender == "M" and parsed.birth_date == datetime.date(1980, 1, 1)


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("110105194912310021", "id_check"),
        ("11010519491231002", "id_format"),
        ("1101051949123100AX", "id_format"),
    ],
)
def test_resident_id_refused(number, reason):
    with pytest.raises(ValidationError) as exc:
        parse_resident_id(number)
    assert exc.value.code == reason


def test_checksum_valid_but_impossible_birth_date_is_refused():
    first17 = "37132319800230001"  # 30 February
    with pytest.raises(ValidationError) as exc:
        parse_resident_id(first17 + id_check_character(first17))
    assert exc.value.code == "id_birth_date"


def test_org_code_check_worked_by_hand():
    from core.validators import org_code_check_character

    # M000100Y: 22×3 + 1×5 + 34×2 = 139; 139 mod 11 = 7; 11 − 7 = 4
    assert org_code_check_character("M000100Y") == "4"


def test_old_15_digit_number_upgrades():
    # 110105491231002 → 11010519491231002 + check "X"
    assert upgrade_15_digit_id("110105491231002") == "11010519491231002X"
