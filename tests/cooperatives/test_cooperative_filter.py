"""The cooperative filter of every list: a plain select for a few cooperatives, a search above that.

A county official may see a thousand cooperatives; the filter form must not list them, yet a
foreign cooperative stays an invalid value and never turns up in a search."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.filters import SEARCH_THRESHOLD
from tests.factories import CooperativeFactory
from tests.members.factories import MemberFactory, resident_id


def _select(response) -> str:
    html = response.content.decode()
    match = re.search(r'<select name="cooperative".*?</select>', html, re.S)
    assert match, "the filter form has no cooperative select"
    return match.group(0)


def _options(select: str) -> list[str]:
    return re.findall(r'<option value="(\d*)"', select)


@pytest.fixture
def home(world):
    return CooperativeFactory(name="东安村富民合作社", village=world.v11, uscc="93371323MA0000010X")


@pytest.fixture
def many(world, home):
    """More cooperatives than a select lists, all in county A."""
    return CooperativeFactory.create_batch(SEARCH_THRESHOLD, village=world.v21)


@pytest.fixture
def foreign(world):
    return CooperativeFactory(name="杨庄村富民合作社", village=world.v31)


def test_few_cooperatives_are_a_plain_select(client, world, home):
    other = CooperativeFactory(name="西岭村果品合作社", village=world.v12)
    client.force_login(world.twp_t1)

    html = client.get("/members/").content.decode()

    assert _options(_select(client.get("/members/"))) == ["", str(home.pk), str(other.pk)]
    assert "cooperative_q" not in html
    assert "东安村 · 东安村富民合作社" in html


def test_county_member_list_renders_no_more_than_the_chosen_cooperative(client, world, home, many):
    MemberFactory(cooperative=home, name="韩立新", id_number=resident_id(701))
    MemberFactory(cooperative=many[0], name="曹建设", id_number=resident_id(702))
    client.force_login(world.county_a_off)

    unfiltered = client.get("/members/")
    assert _options(_select(unfiltered)) == [""]

    filtered = client.get("/members/", {"cooperative": home.pk})
    select = _select(filtered)
    assert _options(select) == ["", str(home.pk)]
    assert f'<option value="{home.pk}" selected>' in select
    html = filtered.content.decode()
    assert "韩立新" in html and "曹建设" not in html
    # the search box beside it asks the endpoint, and is labelled
    assert 'name="cooperative_q"' in html and 'hx-get="/cooperatives/search/"' in html
    assert 'for="id_cooperative_q"' in html and 'aria-controls="id_cooperative"' in html


def test_search_mode_costs_no_query_more_than_the_plain_select(client, world, home):
    client.force_login(world.county_a_off)
    with CaptureQueriesContext(connection) as few:
        client.get("/members/", {"cooperative": home.pk})
    CooperativeFactory.create_batch(SEARCH_THRESHOLD, village=world.v21)
    with CaptureQueriesContext(connection) as searching:
        response = client.get("/members/", {"cooperative": home.pk})
    assert _options(_select(response)) == ["", str(home.pk)]
    assert len(searching) == len(few)


def test_without_javascript_the_submitted_term_lists_its_matches(client, world, home, many, foreign):
    client.force_login(world.county_a_off)

    select = _select(client.get("/members/", {"cooperative_q": "富民"}))

    assert _options(select) == ["", str(home.pk)]


def test_foreign_cooperative_is_refused_as_before(client, api_client, world, home, many, foreign):
    MemberFactory(cooperative=foreign, name="杨庄社员", id_number=resident_id(703))
    client.force_login(world.county_a_off)

    response = client.get("/members/", {"cooperative": foreign.pk})

    assert response.status_code == 200
    assert "杨庄社员" not in response.content.decode()
    assert response.context["filter"].errors["cooperative"]
    assert str(foreign.pk) not in _options(_select(response))
    api_client.force_authenticate(world.county_a_off)
    assert api_client.get("/api/v1/members/", {"cooperative": foreign.pk}).status_code == 400
    assert api_client.get("/api/v1/members/", {"cooperative": home.pk}).status_code == 200


def test_search_finds_only_the_callers_cooperatives(client, world, home, many, foreign):
    client.force_login(world.county_a_off)

    html = client.get("/cooperatives/search/", {"cooperative_q": "富民"}).content.decode()

    assert _options(html) == ["", str(home.pk)]
    assert f'<option value="{home.pk}" selected>东安村 · 东安村富民合作社</option>' in html
    assert "杨庄村" not in html
    assert 'id="cooperative_q-status" hx-swap-oob="innerHTML"' in html
    # the foreign cooperative is not found by its id either, nor by its village
    assert _options(client.get("/cooperatives/search/", {"cooperative_q": str(foreign.pk)}).content.decode()) == [""]
    assert _options(client.get("/cooperatives/search/", {"cooperative_q": "杨庄"}).content.decode()) == [""]
    client.force_login(world.county_b_off)
    assert _options(client.get("/cooperatives/search/", {"cooperative_q": "富民"}).content.decode()) == [
        "",
        str(foreign.pk),
    ]


def test_search_by_code_village_or_id_is_limited(client, world, home, many):
    client.force_login(world.county_a_off)

    def found(term):
        return _options(client.get("/cooperatives/search/", {"cooperative_q": term}).content.decode())[1:]

    assert found("93371323MA") == [str(home.pk)]
    assert found("东安") == [str(home.pk)]
    assert str(many[0].pk) in found(str(many[0].pk))
    assert len(found("北岭村")) == 20
    assert found("") == [] and found("没有这个社") == []
    assert found("9" * 40) == []  # past any id: no match, no database error


def test_search_needs_a_login(client, db):
    assert client.get("/cooperatives/search/", {"cooperative_q": "富民"}).status_code == 302
