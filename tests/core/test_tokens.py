"""API tokens (issue: hardening, finding 8): stored hashed, expiring, ended by their user, by a
password change and by a logout; a page lists and ends one's own. django-rest-knox."""

import datetime

import pytest
from django.utils import timezone
from knox.models import AuthToken

from core import demo
from core.models import User


@pytest.fixture
def township(db):
    demo.run()
    return User.objects.get(username="demo-township")


def _token(api_client) -> str:
    response = api_client.post("/api/v1/auth/token/", {"username": "demo-township", "password": demo.DEMO_PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _me(api_client, token) -> int:
    """200 when the token works; 401 when it is refused (DRF answers 403 for a refused token, as the
    session comes first among the authentication classes)."""
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.get("/api/v1/me/")
    api_client.credentials()
    if response.status_code == 403:
        assert response.json()["code"] in ("authentication_failed", "not_authenticated"), response.content
        return 401
    return response.status_code


def test_a_token_is_stored_as_a_hash_and_expires(api_client, township):
    token = _token(api_client)
    row = AuthToken.objects.get(user=township)
    assert token not in (row.digest, row.token_key) and token.startswith(row.token_key)
    # seven days by default (API_TOKEN_DAYS)
    assert abs(row.expiry - (timezone.now() + datetime.timedelta(days=7))) < datetime.timedelta(minutes=5)
    assert _me(api_client, token) == 200
    AuthToken.objects.filter(pk=row.pk).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    assert _me(api_client, token) == 401


def test_logout_ends_this_token_and_logout_all_ends_every_one(api_client, township):
    first, second, third = _token(api_client), _token(api_client), _token(api_client)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api_client.post("/api/v1/auth/logout/").status_code == 204
    api_client.credentials()
    assert (_me(api_client, first), _me(api_client, second)) == (401, 200)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert api_client.post("/api/v1/auth/logout-all/").status_code == 204
    api_client.credentials()
    assert (_me(api_client, second), _me(api_client, third)) == (401, 401)


def test_a_password_change_and_a_web_logout_end_the_tokens(client, api_client, township):
    token = _token(api_client)
    client.force_login(township)
    new = "a-longer-new-passphrase-2026"
    response = client.post(
        "/accounts/password/",
        {"old_password": demo.DEMO_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert _me(api_client, token) == 401
    response = api_client.post("/api/v1/auth/token/", {"username": "demo-township", "password": new})
    token = response.json()["token"]
    assert _me(api_client, token) == 200
    client.post("/accounts/logout/")
    assert _me(api_client, token) == 401


def test_the_tokens_page_lists_and_ends_ones_own_tokens(client, api_client, township):
    kept, ended = _token(api_client), _token(api_client)
    other_row, other = AuthToken.objects.create(user=User.objects.get(username="demo-county"))
    client.force_login(township)
    page = client.get("/account/tokens/").content.decode()
    assert "API 令牌" in page and kept[:8] in page and ended[:8] in page and other[:8] not in page
    client.post("/account/tokens/", {"token_key": AuthToken.objects.get(token_key=ended[:15]).token_key})
    client.post("/account/tokens/", {"token_key": other_row.token_key})  # not hers: nothing happens
    assert (_me(api_client, kept), _me(api_client, ended), _me(api_client, other)) == (200, 401, 200)
    client.post("/account/tokens/", {"all": "1"})
    assert _me(api_client, kept) == 401 and _me(api_client, other) == 200


def test_the_eleventh_token_is_refused_with_a_message_that_says_what_to_do(api_client, township):
    from django.utils import translation

    for _ in range(10):
        _token(api_client)
    with translation.override("zh-hans"):
        response = api_client.post("/api/v1/auth/token/", {"username": "demo-township", "password": demo.DEMO_PASSWORD})
    assert response.status_code == 403 and response.json()["code"] == "too_many_tokens"
    assert "10" in response.json()["detail"] and "API 令牌" in response.json()["detail"]
    assert AuthToken.objects.filter(user=township).count() == 10
