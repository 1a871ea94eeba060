"""Authentication hardening: lockout, login records, CSP without inline script."""

import re

import pytest
from axes.models import AccessAttempt, AccessLog
from django.urls import reverse

from core import demo


@pytest.fixture
def demo_users(db):
    return demo.run()


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_lock_the_username_even_with_the_right_password(client, demo_users):
    for _ in range(5):
        assert _login(client, "demo-accountant", "wrong-password").status_code in (200, 429)
    response = _login(client, "demo-accountant", demo.DEMO_PASSWORD)
    assert response.status_code == 429
    assert "30" in response.content.decode()  # the page says how long
    assert "_auth_user_id" not in client.session
    # another user from another address is not affected
    assert _login(client, "demo-chair", demo.DEMO_PASSWORD, ip="10.0.0.2").status_code == 302


def test_logins_and_failures_are_recorded(client, demo_users):
    _login(client, "demo-county", "nope", ip="10.9.9.9")
    _login(client, "demo-county", demo.DEMO_PASSWORD, ip="10.9.9.9")
    assert AccessLog.objects.filter(username="demo-county", ip_address="10.9.9.9").exists()
    # a successful login resets the failure count (AXES_RESET_ON_SUCCESS)
    assert not AccessAttempt.objects.filter(username="demo-county").exists()
    from axes.models import AccessFailureLog

    assert AccessFailureLog.objects.filter(username="demo-county").count() == 1


def test_csp_header_forbids_inline_script(client, demo_users):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy).group(1)
    assert script_src.strip() == "'self'"
    assert "frame-ancestors 'none'" in policy


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


@pytest.mark.parametrize(
    "path", ["/", "/approvals/", "/regions/", "/cooperatives/", "/accounts/password/", "/api/docs/"]
)
def test_pages_carry_no_inline_script(client, demo_users, path):
    client.post(reverse("login"), {"username": "demo-county", "password": demo.DEMO_PASSWORD})
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), f"inline <script> on {path}"
    assert not EVENT_HANDLER.search(html), f"inline event handler on {path}"


def test_password_validators_refuse_weak_passwords(client, demo_users):
    client.post(reverse("login"), {"username": "demo-member", "password": demo.DEMO_PASSWORD})
    response = client.post(
        reverse("password_change"),
        {"old_password": demo.DEMO_PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors


def test_audit_trail_shows_who_changed_what_and_is_scoped(client, world):
    from cooperatives.services.registry import cooperative_update
    from tests.conftest import fresh
    from tests.factories import CooperativeFactory

    coop = CooperativeFactory(village=world.v11, chair_name="赵德明")
    other = CooperativeFactory(village=world.v21)
    client.force_login(world.acc_v11)
    client.post(
        f"/cooperatives/{coop.pk}/edit/",
        {
            "name": coop.name,
            "kind": "farmer",
            "village": world.v11.pk,
            "legal_representative": "赵德明",
            "chair_name": "钱卫国",
            "chair_is_branch_secretary": "on",
            "registered_capital": "100000.00",
            "main_industry": "crops",
            "status": "operating",
        },
        REMOTE_ADDR="10.4.4.4",
    )
    coop.refresh_from_db()
    assert coop.chair_name == "钱卫国"
    cooperative_update(actor=fresh(world.acc_v21), cooperative=other, phone="123")

    client.force_login(world.county_a_off)
    response = client.get("/audit/", {"region": coop.region_code, "cooperative": coop.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "赵德明" in page and "钱卫国" in page and "10.4.4.4" in page
    assert world.acc_v11.display_name in page and "理事长" in page  # the field's verbose name, not chair_name
    assert other.name not in page
    # outside the jurisdiction: 404; a village accountant may not use the page at all: 403
    client.force_login(world.county_b_off)
    assert client.get("/audit/", {"region": coop.region_code}).status_code == 404
    client.force_login(world.twp_t2)
    assert client.get("/audit/", {"region": coop.region_code}).status_code == 404
    client.force_login(world.acc_v11)
    assert client.get("/audit/", {"region": coop.region_code}).status_code == 403


def test_names_guessed_from_one_address_never_lock_a_real_user_out(client, demo_users):
    # (hardening, finding 7) five failures of unknown names from the village office's address
    for name in ("admin", "root", "test", "zhangsan", "lisi"):
        _login(client, name, "123456", ip="10.0.0.7")
    # locked out: that address for those names; the accountant at the same address logs in
    assert _login(client, "demo-accountant", demo.DEMO_PASSWORD, ip="10.0.0.7").status_code == 302


def test_a_username_is_locked_from_the_address_that_guessed_it_only(client, demo_users):
    for _ in range(5):
        _login(client, "demo-chair", "wrong-password", ip="10.6.6.6")
    assert _login(client, "demo-chair", demo.DEMO_PASSWORD, ip="10.6.6.6").status_code == 429
    client.logout()
    assert _login(client, "demo-chair", demo.DEMO_PASSWORD, ip="10.0.0.8").status_code == 302


def _last_context_ip():
    from pghistory.models import Context

    return Context.objects.order_by("-created_at").values_list("metadata__ip", flat=True).first()


def _edit_phone(client, coop, phone, **meta):
    return client.post(
        f"/cooperatives/{coop.pk}/edit/",
        {
            "name": coop.name,
            "kind": "farmer",
            "village": coop.village_id,
            "legal_representative": "赵德明",
            "chair_name": "赵德明",
            "chair_is_branch_secretary": "on",
            "registered_capital": "100000.00",
            "main_industry": "crops",
            "status": "operating",
            "phone": phone,
        },
        **meta,
    )


def test_a_forged_forwarded_for_is_not_believed_without_a_trusted_proxy(client, world, settings):
    from tests.factories import CooperativeFactory

    settings.TRUSTED_PROXY_COUNT = 0
    coop = CooperativeFactory(village=world.v11, chair_name="赵德明")
    client.force_login(world.acc_v11)
    assert (
        _edit_phone(client, coop, "0539-1", REMOTE_ADDR="10.4.4.4", HTTP_X_FORWARDED_FOR="1.2.3.4").status_code == 302
    )
    assert _last_context_ip() == "10.4.4.4"


def test_behind_the_proxy_the_client_address_counts_for_lockout_and_trail(client, world, demo_users, settings):
    from tests.factories import CooperativeFactory

    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "172.18.0.5"}
    # the attacker forges an address to the left; the proxy appends the one it saw (right-most)
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": "demo-accountant", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="8.8.8.8, 203.0.113.9",
            **proxy,
        )
    assert AccessAttempt.objects.filter(username="demo-accountant", ip_address="203.0.113.9").exists()
    # the accountant, behind the same proxy from her own address, still logs in
    response = client.post(
        reverse("login"),
        {"username": "demo-accountant", "password": demo.DEMO_PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
        **proxy,
    )
    assert response.status_code == 302
    coop = CooperativeFactory(village=world.v11, chair_name="赵德明")
    client.force_login(world.acc_v11)
    _edit_phone(client, coop, "0539-2", HTTP_X_FORWARDED_FOR="8.8.8.8, 198.51.100.20", **proxy)
    assert _last_context_ip() == "198.51.100.20"


# -- finding 10: nothing personal in caches, no media route ---------------------------------------------


def test_authenticated_pages_and_api_answers_are_never_stored(client, world, api_client):
    client.force_login(world.acc_v11)
    for url in ("/", "/members/", "/finance/vouchers/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url
    api_client.force_authenticate(world.acc_v11)
    response = api_client.get("/api/v1/members/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_uploaded_files_have_no_public_route_in_any_mode(settings):
    import importlib

    import config.urls

    settings.DEBUG = True  # the mode of `make run`
    try:
        urls = importlib.reload(config.urls)
        assert not [p for p in urls.urlpatterns if str(p.pattern).lstrip("^").startswith("media")]
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
