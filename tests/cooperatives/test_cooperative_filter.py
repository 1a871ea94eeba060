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


def _select_named(html: str, name: str) -> str:
    match = re.search(rf'<select name="{re.escape(name)}".*?</select>', html, re.S)
    assert match, f"no select {name}"
    return match.group(0)


def test_entry_forms_use_the_same_select_and_keep_refusing_a_foreign_cooperative(client, world, home, many, foreign):
    """The audit form of a county official with 51 cooperatives: none listed, a search box instead;
    without JavaScript the term comes back with its matches; a foreign id is an invalid choice."""
    client.force_login(world.county_a_off)
    html = client.get("/supervision/audits/new/").content.decode()
    assert _options(_select_named(html, "cooperative")) == [""]
    assert 'name="cooperative_q"' in html

    data = {"kind": "annual", "year": 2026, "scope": "年度财务收支审计"}
    returned = client.post("/supervision/audits/new/", {**data, "cooperative_q": "富民"})
    assert returned.status_code == 400
    assert _options(_select_named(returned.content.decode(), "cooperative")) == ["", str(home.pk)]
    refused = client.post("/supervision/audits/new/", {**data, "cooperative": foreign.pk})
    assert refused.status_code == 400 and "cooperative" in refused.context["form"].errors
    chosen = client.post("/supervision/audits/new/", {**data, "cooperative": many[7].pk})
    assert chosen.status_code == 302  # not listed on the page, yet one of the caller's: accepted

    # the pairing form's two cooperative choices search too
    html = client.get("/supervision/pairings/new/").content.decode()
    for name in ("cooperative", "helper_cooperative"):
        assert _options(_select_named(html, name)) == [""]
        assert f'name="{name}_q"' in html


def test_search_answers_a_formset_rows_own_box(client, world, home):
    """A federation's member rows are ``members-N-cooperative``: the search reads that row's box
    and answers that row's status line."""
    CooperativeFactory.create_batch(SEARCH_THRESHOLD, village=world.v12)  # the township registers 51
    client.force_login(world.twp_t1)
    html = client.get("/cooperatives/federations/new/").content.decode()
    assert 'name="members-0-cooperative_q"' in html and 'hx-params="members-0-cooperative_q"' in html

    answer = client.get("/cooperatives/search/", {"members-3-cooperative_q": "富民"}).content.decode()
    assert _options(answer) == ["", str(home.pk)]
    assert 'id="members-3-cooperative_q-status" hx-swap-oob="innerHTML"' in answer
    # a name that is no search box is not echoed into the page
    odd = client.get("/cooperatives/search/", {'x"><script>_q': "富民"}).content.decode()
    assert "<script>" not in odd and 'id="cooperative_q-status"' in odd
