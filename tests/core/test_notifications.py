# ruff: noqa: F811 - the fixtures imported from tests.finance.conftest are parameters of the tests
"""Notifications (DESIGN.md "People and notifications"): every workflow step tells who must act,
once, in the app, by e-mail (a local SMTP server) and through the region's group robots (a local
HTTP server standing in for WeCom and DingTalk), after commit, retried, never failing the request."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import socket
import threading
import urllib.parse
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.urls import reverse
from django.utils import translation

from core.choices import DeliveryStatus, EmailMode, NotificationKind
from core.models import ApprovalRequest, GroupWebhook, Notification, WebhookDelivery
from core.services import notifications as svc
from core.services.approvals import approval_return
from core.tasks import deliver_webhook, send_digests
from finance.services.vouchers import voucher_submit
from tests.conftest import fresh
from tests.finance.conftest import acc, books, chair, coop, seed004, township  # noqa: F401 - shared fixtures
from tests.finance.factories import payee, voucher

DAY = datetime.date(2026, 1, 20)
SECRET = "SEC0123456789abcdef"


# -- local servers ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    """An SMTP server on 127.0.0.1 that keeps what it receives; Django's mail points at it."""
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()


class _Robot(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        self.server.hits.append((self.path, json.loads(self.rfile.read(length))))
        status = self.server.status
        body = json.dumps({"errcode": 0 if status == 200 else 500, "errmsg": "ok"}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def robots(settings):
    """One HTTP server on 127.0.0.1 answering as the group robots do; ``robots.status`` sets the answer."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Robot)
    server.hits, server.status = [], 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.LINGBAN_WEBHOOK_HOSTS = ["127.0.0.1"]
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def _pay(acc, books, amount="10000.00"):
    return voucher(
        acc,
        books,
        DAY,
        "支付农资款",
        ("211", amount, 0),
        ("102", 0, amount),
        post=False,
        paid_to=payee(name="沂水县农资公司"),
    )


@pytest.fixture
def hooks(world, acc, township, robots):
    """东安村's WeCom robot (set by its accountant) and 许家湖镇's signed DingTalk robot (its official)."""
    wecom = svc.group_webhook_set(actor=acc, region=world.v11, kind="wecom", url=f"{robots.url}/wecom?key=k1")
    ding = svc.group_webhook_set(
        actor=township, region=world.t1, kind="dingtalk", url=f"{robots.url}/dingtalk?access_token=t1", secret=SECRET
    )
    return wecom, ding


def _submit(acc, books, capture):
    with capture(execute=True):
        return voucher_submit(actor=acc, voucher=_pay(acc, books))


# -- the approval engine ------------------------------------------------------------------------------


def test_a_payment_of_10000_tells_the_township_in_the_app_by_mail_and_in_both_groups_once(
    world,
    acc,
    township,
    books,
    seed004,
    smtp,
    robots,
    hooks,
    django_capture_on_commit_callbacks,
):
    # given: the township official has an e-mail address; 许家湖镇's other villages' people exist too
    township.email = "xujiahu@example.org"
    township.save(update_fields=["email"])

    # when: the accountant submits a payment of 10,000.00 (seed 004: the township approves)
    request = _submit(acc, books, django_capture_on_commit_callbacks)

    # then: in the app, the township official alone, once, in Chinese
    rows = list(Notification.objects.all())
    assert [(n.recipient_id, n.kind, n.region_code) for n in rows] == [
        (township.pk, NotificationKind.SUBMITTED, world.v11.code)
    ]
    assert rows[0].text.startswith(acc.display_name) and "提请您审批" in rows[0].text
    assert rows[0].link == reverse("core:approval_detail", args=[request.pk])

    # by e-mail, through the SMTP server
    assert len(smtp.messages) == 1
    recipients, message = smtp.messages[0]
    assert recipients == ["xujiahu@example.org"]
    assert message["Subject"] == "【领办】待您审批"
    assert "提请您审批" in message.get_content() and f"/approvals/{request.pk}/" in message.get_content()
    assert Notification.objects.get().emailed_at is not None

    # in 东安村's WeCom group and 许家湖镇's DingTalk group, each once, as a text message
    assert sorted(path.split("?")[0] for path, _ in robots.hits) == ["/dingtalk", "/wecom"]
    for _path, body in robots.hits:
        assert body["msgtype"] == "text" and "提请您审批" in body["text"]["content"]
        assert body["text"]["content"].startswith("【领办·待您审批】")
    ding_path = next(path for path, _ in robots.hits if path.startswith("/dingtalk"))
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(ding_path).query)
    assert query["access_token"] == ["t1"]
    timestamp = query["timestamp"][0]
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]  # parse_qs undid the URL encoding of + / =
    wecom_path = next(path for path, _ in robots.hits if path.startswith("/wecom"))
    assert "sign=" not in wecom_path
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}

    # the same event again (a replayed step) notifies, mails and posts nothing more
    step = request.steps.filter(action="submit").get()
    with django_capture_on_commit_callbacks(execute=True):
        again = svc.notify(
            recipients=[township],
            kind=NotificationKind.SUBMITTED,
            text="重复",
            link="/",
            event_key=f"approval:{request.pk}:step:{step.pk}",
            region_code=world.v11.code,
        )
    assert again == [] or [n.text for n in again] != ["重复"]
    assert Notification.objects.count() == 1 and len(smtp.messages) == 1 and len(robots.hits) == 2


def test_returned_the_accountant_hears_why_and_a_resubmission_asks_the_township_again(
    world,
    acc,
    township,
    books,
    seed004,
    django_capture_on_commit_callbacks,
):
    request = _submit(acc, books, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        approval_return(actor=township, request=ApprovalRequest.objects.get(pk=request.pk), comment="请附上发票")
    told = Notification.objects.get(recipient=acc)
    assert told.kind == NotificationKind.RETURNED
    assert told.text == f"{township.display_name}退回了“{request.title}”，请修改：请附上发票"

    v = request.subject
    with django_capture_on_commit_callbacks(execute=True):
        voucher_submit(actor=acc, voucher=v, comment="已补发票")
    assert Notification.objects.filter(recipient=township, kind=NotificationKind.SUBMITTED).count() == 2
    assert not Notification.objects.filter(recipient=acc, kind=NotificationKind.SUBMITTED).exists()


def test_nobody_hears_of_a_region_outside_their_jurisdiction(world, client):
    # given: people of another village, another township and another county asked to be told
    outsiders = [world.acc_v12, world.twp_t2, world.county_b_off, world.acc_v31, world.nobody]
    rows = svc.notify(
        recipients=[*outsiders, world.twp_t1, world.county_a_off],
        kind=NotificationKind.ALERT_RAISED,
        text="东安村风险预警",
        link="/",
        event_key="test:jurisdiction",
        region_code=world.v11.code,
    )
    # then: only who covers 东安村
    assert sorted(n.recipient_id for n in rows) == sorted([world.twp_t1.pk, world.county_a_off.pk])
    # and one person's notification is 404 to another
    client.force_login(world.twp_t2)
    response = client.post(reverse("core:notification_read", args=[rows[0].pk]))
    assert response.status_code == 404
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


# -- delivery failures --------------------------------------------------------------------------------


def test_a_robot_answering_500_is_retried_with_backoff_and_never_fails_the_request(
    world,
    acc,
    books,
    seed004,
    robots,
    hooks,
    django_capture_on_commit_callbacks,
):
    # the task retries its delivery errors, with growing pauses, a bounded number of times
    assert svc.WebhookError in deliver_webhook.autoretry_for
    assert deliver_webhook.retry_backoff and deliver_webhook.max_retries == 6

    # when every robot answers 500, the submission still succeeds
    robots.status = 500
    request = _submit(acc, books, django_capture_on_commit_callbacks)
    assert request.state == "submitted" and Notification.objects.count() == 1
    assert len(robots.hits) == 2  # (eager Celery in tests hands the first failure back, and it stops there)

    # run as a worker runs it (failures not raised to the caller): every retry, at once in eager
    # mode, so no clock is involved; each attempt is recorded
    failed = WebhookDelivery.objects.get(webhook__kind="wecom")
    conf = deliver_webhook.app.conf
    propagates, conf.task_eager_propagates = conf.task_eager_propagates, False
    try:
        result = deliver_webhook.apply(args=[failed.pk])
    finally:
        conf.task_eager_propagates = propagates
    assert result.state == "FAILURE" and isinstance(result.result, svc.WebhookError)
    assert len(robots.hits) == 2 + 1 + deliver_webhook.max_retries
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.FAILED and failed.attempts == 8 and failed.last_error == "HTTP 500"

    # when the robot is back, a delivery (the next retry) goes through, and only once
    robots.status = 200
    assert deliver_webhook.apply(args=[failed.pk]).get() is True
    assert deliver_webhook.apply(args=[failed.pk]).get() is False
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SENT and failed.attempts == 9


def test_an_unreachable_mail_server_does_not_fail_the_request(
    world,
    acc,
    township,
    books,
    seed004,
    settings,
    django_capture_on_commit_callbacks,
):
    township.email = "xujiahu@example.org"
    township.save(update_fields=["email"])
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _free_port(), 1
    request = _submit(acc, books, django_capture_on_commit_callbacks)
    assert request.state == "submitted"
    assert Notification.objects.get().emailed_at is None  # kept for a later retry


# -- preferences and the digest -----------------------------------------------------------------------


def test_email_off_sends_nothing_and_digest_sends_one_mail_a_day(
    world,
    acc,
    township,
    books,
    seed004,
    django_capture_on_commit_callbacks,
):
    township.email = "xujiahu@example.org"
    township.save(update_fields=["email"])
    svc.notification_preference_set(user=township, email_mode=EmailMode.OFF)
    _submit(acc, books, django_capture_on_commit_callbacks)
    assert mail.outbox == [] and Notification.objects.filter(recipient=township).count() == 1

    svc.notification_preference_set(user=township, email_mode=EmailMode.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        voucher_submit(actor=acc, voucher=_pay(acc, books, "12000.00"))
    assert mail.outbox == []  # digest: nothing at once

    assert send_digests() == 1
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["xujiahu@example.org"]
    assert digest.subject == "您近一天的通知（2条未读）"
    assert digest.body.count("提请您审批") == 2
    assert send_digests() == 0 and len(mail.outbox) == 1  # a second run the same day sends nothing


def test_preferences_page(client, world):
    user = fresh(world.twp_t1)
    client.force_login(user)
    page = client.get(reverse("core:notification_preferences"))
    assert page.status_code == 200
    with translation.override("zh-hans"):
        assert "每日汇总一封" in page.content.decode() and "群机器人" in page.content.decode()
    response = client.post(reverse("core:notification_preferences"), {"email_mode": "digest"})
    assert response.status_code == 302
    assert svc.email_mode_of(user) == EmailMode.DIGEST


# -- the bell and the list ----------------------------------------------------------------------------


def test_bell_counts_unread_and_the_list_marks_read(client, world, django_assert_max_num_queries):
    user = fresh(world.twp_t1)
    first, second = (
        svc.notify(
            recipients=[user],
            kind=NotificationKind.SUBMITTED,
            text=f"第{i}件待审批",
            link=f"/approvals/{i}/",
            event_key=f"test:bell:{i}",
            region_code=world.v11.code,
        )[0]
        for i in (1, 2)
    )
    client.force_login(user)
    home = client.get("/").content.decode()
    assert reverse("core:notification_bell") in home  # the top bar loads the bell

    with django_assert_max_num_queries(8):
        bell = client.get(reverse("core:notification_bell")).content.decode()
    assert 'id="unread-count">2<' in bell

    page = client.get(reverse("core:notification_list")).content.decode()
    assert "第1件待审批" in page and "第2件待审批" in page

    response = client.post(reverse("core:notification_read", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == "/approvals/1/"
    assert 'id="unread-count">1<' in client.get(reverse("core:notification_bell")).content.decode()
    assert "第1件待审批" not in client.get(reverse("core:notification_list"), {"unread": 1}).content.decode()

    client.post(reverse("core:notification_read_all"))
    assert "unread-count" not in client.get(reverse("core:notification_bell")).content.decode()
    second.refresh_from_db()
    assert second.read_at is not None

    # after the session ends the bell answers 204: the top bar keeps its plain bell
    client.logout()
    assert client.get(reverse("core:notification_bell")).status_code == 204


# -- group robot settings -----------------------------------------------------------------------------


def test_the_accountant_sets_the_villages_robot_and_the_secret_is_never_shown(client, world, acc, robots):
    url = reverse("core:region_webhook", args=[world.v11.pk])
    client.force_login(acc)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"kind": "dingtalk", "url": f"{robots.url}/robot/send?access_token=abc", "secret": SECRET, "enabled": "on"}
    )
    assert response.status_code == 302
    hook = GroupWebhook.objects.get(region=world.v11)
    assert hook.secret == SECRET and hook.region_code == world.v11.code
    page = client.get(url).content.decode()
    assert SECRET not in page and "••••cdef" in page

    # an empty secret keeps the one on file
    client.post(url, {"kind": "dingtalk", "url": f"{robots.url}/robot/send?access_token=abc", "enabled": "on"})
    hook.refresh_from_db()
    assert hook.secret == SECRET

    # an address off the robots' hosts is refused, in Chinese
    response = client.post(url, {"kind": "wecom", "url": "http://10.0.0.1/internal", "enabled": "on"})
    assert response.status_code == 200
    with translation.override("zh-hans"):
        assert "群机器人地址须在以下域名" in response.content.decode()
    hook.refresh_from_db()
    assert hook.url.startswith(robots.url)


def test_only_the_regions_own_keeper_sets_its_robot(client, world):
    village = reverse("core:region_webhook", args=[world.v11.pk])
    town = reverse("core:region_webhook", args=[world.t1.pk])
    for user, path, status in [
        (world.chair_v11, village, 403),  # inside, but not the accountant
        (world.twp_t1, village, 403),  # the township keeps its own robot, not the village's
        (world.twp_t1, town, 200),
        (world.acc_v11, town, 404),  # the township is not among the regions an accountant sees
        (world.acc_v12, village, 404),  # another village's region does not exist for them
        (world.twp_t2, town, 404),
    ]:
        client.force_login(user)
        assert client.get(path).status_code == status, (user.username, path)


# -- supervision --------------------------------------------------------------------------------------


def test_an_audit_finding_tells_the_accountant_and_the_chair(world, coop, acc, chair, township):
    from supervision.services import audits

    audit = audits.audit_create(actor=township, cooperative=coop, kind="annual", year=2026, scope="财务收支")
    finding = audits.finding_add(
        actor=township, audit=audit, title="白条入账", rectification_deadline=datetime.date(2026, 12, 31)
    )
    told = Notification.objects.filter(kind=NotificationKind.FINDING_OPENED)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([acc.pk, chair.pk])
    assert told.first().text == f"{coop.name}审计发现问题：白条入账，请于2026-12-31前整改。"
    assert told.first().link == finding.get_absolute_url()


def test_a_risk_alert_tells_the_village_and_the_township_once(world, acc, chair, township):
    from supervision.services.alerts import alerts_evaluate
    from tests.factories import CooperativeFactory

    coop = CooperativeFactory(name="东安村富民合作社", village=world.v11, status="operating")
    # no annual audit in the last quarter of 2026: the rule fires; the nightly run sees it again
    for _ in range(2):
        alerts_evaluate(cooperative=coop, today=datetime.date(2026, 11, 24), rules=["no_audit"])
    told = Notification.objects.filter(kind=NotificationKind.ALERT_RAISED)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([acc.pk, chair.pk, township.pk])
    assert not told.filter(recipient__in=[world.twp_t2, world.acc_v12]).exists()


def test_a_quarters_disclosure_draft_tells_the_accountant_and_the_supervisory_board(world, acc, books):
    from core.choices import Role
    from supervision.services.disclosures import disclosure_generate
    from tests.factories import UserFactory

    supervisor = UserFactory(username="sup_v11", roles=[(Role.SUPERVISOR, world.v11)])
    disclosure, created = disclosure_generate(cooperative=books, year=2026, quarter=1)
    disclosure_generate(cooperative=books, year=2026, quarter=1)
    told = Notification.objects.filter(kind=NotificationKind.DISCLOSURE_DUE)
    assert created and sorted(told.values_list("recipient_id", flat=True)) == sorted([acc.pk, supervisor.pk])
    assert told.first().text == (
        f"{books.name}2026年第1季度财务公开草稿已生成，请于{disclosure.deadline.isoformat()}前公开。"
    )


def test_two_stages_the_county_hears_after_the_township_agrees_and_the_accountant_at_the_end(world):
    from decimal import Decimal

    from core.services.approvals import approval_approve, approval_request_create, approval_submit
    from tests.factories import DocumentFactory

    doc = DocumentFactory(title="修路合同", region_code=world.v11.code, amount=Decimal("12000.00"))
    accountant, township, county = fresh(world.acc_v11), fresh(world.twp_t1), fresh(world.county_a_off)
    request = approval_request_create(
        actor=accountant, subject=doc, kind="test_document_two_stage", title=doc.title, region_code=doc.region_code
    )
    approval_submit(actor=accountant, request=request)
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [township.pk]
    approval_approve(actor=township, request=ApprovalRequest.objects.get(pk=request.pk))
    to_county = Notification.objects.get(recipient=county)
    assert to_county.kind == NotificationKind.SUBMITTED
    assert to_county.text == f"{township.display_name}已同意“修路合同”，现待您审批。"
    assert not Notification.objects.filter(recipient=accountant).exists()
    approval_approve(actor=county, request=ApprovalRequest.objects.get(pk=request.pk))
    told = Notification.objects.get(recipient=accountant)
    assert (told.kind, told.text) == (NotificationKind.APPROVED, f"{county.display_name}已批准“修路合同”。")
    # the county official of the other county and the other township heard nothing
    assert not Notification.objects.filter(recipient__in=[world.county_b_off, world.twp_t2]).exists()
