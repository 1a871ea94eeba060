"""The county reads its own rules in the app (issue "County administration", item 1, read side):
every field of its policy profile with its unit, rates as percentages and policies by name."""

import re

import pytest
from django.utils import translation

from core.models import PolicyProfile
from core.views.policy import SECTIONS, percent

pytestmark = pytest.mark.django_db


def test_every_field_of_the_profile_is_on_the_page():
    listed = [name for _title, names in SECTIONS for name in names]
    own = {"id", "created_at", "updated_at", "code", "name", "source", "county", "based_on"}
    fields = {f.name for f in PolicyProfile._meta.concrete_fields} - own
    assert sorted(listed) == sorted(fields)


@pytest.mark.parametrize(("ratio", "shown"), [("0.25", "25%"), ("0.055", "5.5%"), ("0.60000000", "60%"), ("1", "100%")])
def test_rates_read_as_percentages(ratio, shown):
    from decimal import Decimal

    assert percent(Decimal(ratio)) == shown


@pytest.fixture
def seed004(world):
    from core.models import CountyPolicy
    from core.policies import SEED_004, ensure_templates

    ensure_templates()
    return CountyPolicy.objects.create(county=world.county_a, profile=PolicyProfile.objects.get(code=SEED_004))


def test_the_county_and_its_villages_read_the_profile_in_force(client, world, seed004):
    # seed 004: payments from 10,000.00 yuan go to the township; payments to one payee within 30 days add up
    client.force_login(world.acc_v11)
    with translation.override("zh-hans"):
        page = re.sub(r"\s+", " ", client.get("/policy/").content.decode())
    assert "本县政策参数方案 · 沂水县" in page
    assert "10,000.00元" in page and "30天" in page
    assert "0.25000000" not in page and "25%" in page  # ranking weights as percentages
    # the county official reads the same; another county's accountant sees her own county only
    client.force_login(world.county_a_off)
    assert client.get("/policy/").status_code == 200
    client.force_login(world.acc_v31)
    with translation.override("zh-hans"):
        other = client.get("/policy/?county=371323").content.decode()
    assert "兰陵县" in other and "沂水县" not in other
    client.force_login(world.member_v11)
    assert client.get("/policy/").status_code == 403
