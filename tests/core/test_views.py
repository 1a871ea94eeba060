"""Pages of the kernel: every demo role logs in and reaches its own home; foreign objects are 404."""

import pytest
from django.urls import reverse

from core import demo
from core.services.approvals import approval_request_create, approval_submit
from tests.conftest import fresh
from tests.factories import DocumentFactory


@pytest.fixture
def demo_world(db):
    return demo.run()


def _login_with_password(client, username):
    response = client.post(reverse("login"), {"username": username, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302, f"{username} could not log in"
    return client


def test_login_page_is_in_chinese_whatever_the_browser_asks(client, db):
    # county intranet PCs often run English-language browsers: the UI stays Chinese
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "登录" in page and "Log in" not in page


def test_wrong_password_says_so_and_stays(client, demo_world):
    response = client.post(reverse("login"), {"username": "demo-county", "password": "wrong"})
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()


def test_anonymous_home_redirects_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# username → text that must appear on its home page, text that must not
HOME_EXPECTATIONS = {
    "demo-admin": (["沂水县"], []),
    "demo-county": (["沂水县", "许家湖镇"], ["东安村"]),
    "demo-township": (["许家湖镇"], ["院东头镇"]),
    "demo-township2": (["院东头镇"], ["许家湖镇"]),
    "demo-accountant": (["东安村"], ["北岭村", "西岭村"]),
    "demo-accountant2": (["北岭村"], ["东安村"]),
    "demo-chair": (["东安村"], ["北岭村"]),
    "demo-supervisor": (["东安村"], ["北岭村"]),
    "demo-member": (["东安村"], ["北岭村"]),
}


@pytest.mark.parametrize("username", [u[0] for u in demo.DEMO_USERS])
def test_each_demo_role_reaches_its_home(client, demo_world, username):
    _login_with_password(client, username)
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    present, absent = HOME_EXPECTATIONS[username]
    for text in present:
        assert text in page, f"{username}: expected {text}"
    for text in absent:
        assert text not in page, f"{username}: must not see {text}"


@pytest.mark.parametrize(
    ("username", "sees_approvals", "sees_regions"),
    [
        ("demo-accountant", True, False),
        ("demo-township", True, True),
        ("demo-county", True, True),
        ("demo-member", False, False),
    ],
)
def test_navigation_shows_only_what_roles_allow(client, demo_world, username, sees_approvals, sees_regions):
    _login_with_password(client, username)
    page = client.get("/").content.decode()
    assert (f'href="{reverse("core:approval_list")}"' in page) is sees_approvals
    assert (f'href="{reverse("core:region_list")}"' in page) is sees_regions
    expected = 200 if sees_regions else 403
    assert client.get(reverse("core:region_list")).status_code == expected


def test_township_inbox_shows_own_township_only(client, world):
    own = DocumentFactory(title="东安村修路", region_code=world.v11.code)
    other = DocumentFactory(title="北岭村水渠", region_code=world.v21.code)
    for doc, acc in ((own, world.acc_v11), (other, world.acc_v21)):
        req = approval_request_create(
            actor=fresh(acc), subject=doc, kind="test_document", title=doc.title, region_code=doc.region_code
        )
        approval_submit(actor=fresh(acc), request=req)
    client.force_login(world.twp_t1)
    page = client.get(reverse("core:approval_list")).content.decode()
    assert "东安村修路" in page and "北岭村水渠" not in page
    home = client.get("/").content.decode()
    assert "东安村修路" in home


def test_foreign_approval_is_404_and_own_decision_works(client, world):
    doc = DocumentFactory(region_code=world.v21.code)
    req = approval_request_create(
        actor=fresh(world.acc_v21), subject=doc, kind="test_document", title="x", region_code=doc.region_code
    )
    approval_submit(actor=fresh(world.acc_v21), request=req)
    client.force_login(world.twp_t1)
    assert client.get(reverse("core:approval_detail", args=[req.pk])).status_code == 404
    assert client.post(reverse("core:approval_act", args=[req.pk]), {"action": "approve"}).status_code == 404
    req.refresh_from_db()
    assert req.state == "submitted"
    client.force_login(world.twp_t2)
    page = client.get(reverse("core:approval_detail", args=[req.pk])).content.decode()
    assert 'value="approve"' in page
    response = client.post(
        reverse("core:approval_act", args=[req.pk]), {"action": "return", "comment": ""}, follow=True
    )
    assert "退回" in response.content.decode() or "reason" not in response.content.decode()
    req.refresh_from_db()
    assert req.state == "submitted"  # a return without a reason is refused, with a message


def test_region_switcher_narrows_the_home_page(client, world):
    from core.choices import Role
    from tests.factories import UserFactory

    user = UserFactory(
        username="two_hats", roles=[(Role.VILLAGE_ACCOUNTANT, world.v11), (Role.VILLAGE_ACCOUNTANT, world.v21)]
    )
    client.force_login(user)
    page = client.get("/").content.decode()
    assert "东安村" in page and "北岭村" in page and 'id="scope-select"' in page
    v21 = next(g for g in fresh(user).all_grants if g.region_id == world.v21.pk)
    client.post(reverse("core:scope_switch"), {"assignment": v21.assignment_id, "next": "/"})
    page = client.get("/").content.decode()
    assert "北岭村" in page and "371323104201" not in page
    # a foreign assignment id is ignored: back to all roles
    client.post(reverse("core:scope_switch"), {"assignment": "999999"})
    assert "371323104201" in client.get("/").content.decode()


def test_home_query_count_is_bounded(client, world, django_assert_max_num_queries):
    client.force_login(world.twp_t1)
    # the shell and inbox, plus the supervision panel's snapshot figures for the township
    with django_assert_max_num_queries(14):
        assert client.get("/").status_code == 200


def test_password_change_page(client, world):
    client.force_login(world.acc_v11)
    response = client.get(reverse("password_change"))
    assert response.status_code == 200
    assert 'for="id_old_password"' in response.content.decode()
