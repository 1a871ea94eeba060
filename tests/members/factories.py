"""Factories of the members app (valid ID numbers and credit codes by construction)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from core.validators import id_check_character, org_code_check_character, uscc_check_character
from members.choices import MemberKind


def resident_id(n: int, birth: str = "19800101", county: str = "371323", female: bool = False) -> str:
    """A valid 18-character ID number, unique per ``n`` (sequence digits, parity by gender)."""
    seq = (n * 2) % 1000 + (0 if female else 1)
    first17 = f"{county}{birth}{seq:03d}"
    if n >= 500:  # more than 500 people: vary the birth day
        day = datetime.date(1970, 1, 1) + datetime.timedelta(days=n // 500)
        first17 = f"{county}{day:%Y%m%d}{seq:03d}"
    return first17 + id_check_character(first17)


def uscc(prefix: str, n: int) -> str:
    """A valid unified social credit code: ``prefix`` (e.g. "91" enterprise, "N2" collective)."""
    body = f"MA{n:06d}"
    first17 = f"{prefix}371323{body}{org_code_check_character(body)}"
    return first17 + uscc_check_character(first17)


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = "members.Household"

    village = None
    region_code = factory.LazyAttribute(lambda o: o.village.padded_code)
    number = factory.Sequence(lambda n: f"H{n:05d}")
    head_name = factory.Sequence(lambda n: f"户主{n}")
    size = 3


class MemberFactory(DjangoModelFactory):
    """A person member with a household in the cooperative's village."""

    class Meta:
        model = "members.Member"

    cooperative = None
    region_code = factory.LazyAttribute(lambda o: o.cooperative.region_code)
    number = factory.Sequence(lambda n: n + 1)
    kind = MemberKind.PERSON
    name = factory.Sequence(lambda n: f"社员{n}")
    id_number = factory.Sequence(lambda n: resident_id(n))
    gender = "M"
    birth_date = datetime.date(1980, 1, 1)
    household = factory.LazyAttribute(lambda o: HouseholdFactory(village=o.cooperative.village))
    village = factory.LazyAttribute(lambda o: o.cooperative.village)
    is_farmer = True
    joined_on = datetime.date(2020, 1, 1)


class CollectiveFactory(MemberFactory):
    kind = MemberKind.COLLECTIVE
    name = "村股份经济合作社"
    id_number = ""
    gender = ""
    birth_date = None
    household = None
    village = None
    is_farmer = False
    uscc = factory.Sequence(lambda n: uscc("N2", n))


class EnterpriseFactory(CollectiveFactory):
    kind = MemberKind.ENTERPRISE
    name = factory.Sequence(lambda n: f"企业{n}")
    uscc = factory.Sequence(lambda n: uscc("91", 500000 + n))
