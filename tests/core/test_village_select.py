"""The village select of the lists and forms: listed when few, found by search when many.

A city official sees thousands of villages; the filter must not list them, a foreign village stays
an invalid value, and the search never finds one."""

import re

import pytest

from core.choices import RegionLevel
from core.filters import SEARCH_THRESHOLD
from tests.factories import CooperativeFactory, RegionFactory

pytestmark = pytest.mark.django_db


def _select(html: str, name: str = "village") -> list[str]:
    match = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert match, f"no {name} select"
    return re.findall(r'<option value="(\d*)"', match.group(0))


@pytest.fixture
def villages(world):
    """50 more villages in 院东头镇: county A then has 53."""
    return [
        RegionFactory(code=f"371323105{300 + n}", name=f"新村{n}", level=RegionLevel.VILLAGE, parent=world.t2)
        for n in range(SEARCH_THRESHOLD)
    ]


def test_few_villages_are_a_plain_select_labelled_with_their_township(client, world):
    client.force_login(world.twp_t1)
    html = client.get("/members/households/").content.decode()
    assert _select(html) == ["", str(world.v11.pk), str(world.v12.pk)]
    assert "许家湖镇 · 东安村" in html and "village_q" not in html


def test_many_villages_are_found_by_search_and_filter_as_before(client, world, villages):
    CooperativeFactory(name="东安村富民合作社", village=world.v11)
    CooperativeFactory(name="北岭村粮食合作社", village=world.v21)
    client.force_login(world.county_a_off)

    page = client.get("/cooperatives/", {"village": world.v11.pk}).content.decode()
    assert _select(page) == ["", str(world.v11.pk)]  # only the chosen village, beside a search box
    assert 'name="village_q"' in page and "/regions/search/?level=village" in page
    assert "东安村富民合作社" in page and "北岭村粮食合作社" not in page
    # without JavaScript the submitted term lists its matches
    assert _select(client.get("/cooperatives/", {"village_q": "西岭"}).content.decode()) == ["", str(world.v12.pk)]
    # a foreign village stays an invalid value
    refused = client.get("/members/households/", {"village": world.v31.pk})
    assert refused.status_code == 200 and refused.context["filter"].errors["village"]
    # the lists filtering by the rows' code (federations, awards …) take the same select
    assert _select(client.get("/cooperatives/federations/").content.decode()) == [""]


def test_search_finds_the_callers_villages_of_the_level_asked(client, world, villages):
    client.force_login(world.county_a_off)

    def found(term, **extra):
        html = client.get("/regions/search/", {"level": "village", "village_q": term, **extra}).content.decode()
        return re.findall(r'<option value="(\d+)"', html), html

    ids, html = found("东安")
    assert ids == [str(world.v11.pk)]
    assert f'<option value="{world.v11.pk}" selected>许家湖镇 · 东安村</option>' in html
    assert 'id="village_q-status" hx-swap-oob="innerHTML"' in html
    assert found("3713231053")[0][:3] == [str(v.pk) for v in villages[:3]]  # by code prefix, in code order
    assert len(found("新村")[0]) == 20  # at most twenty
    assert found("杨庄")[0] == [] and found("")[0] == []  # county B's village is not found
    assert found("许家湖")[0] == []  # a township is not a village
    township = client.get("/regions/search/", {"level": "township", "township_q": "许家湖"}).content.decode()
    assert re.findall(r'<option value="(\d+)"', township) == [str(world.t1.pk)]
    client.force_login(world.twp_t3)
    assert found("杨庄")[0] == [str(world.v31.pk)]


def test_pairing_form_finds_the_helped_village_by_search(client, world, villages):
    client.force_login(world.county_a_off)
    html = client.get("/supervision/pairings/new/").content.decode()
    assert _select(html) == [""] and 'name="village_q"' in html


def test_search_needs_a_login(client, db):
    assert client.get("/regions/search/", {"village_q": "东安"}).status_code == 302
