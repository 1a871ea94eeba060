"""The demo: demo-supervisor publishes the current quarter's draft, demo-member reads the published
disclosures, the township sees an audit with a finding and the problem list; a second run adds nothing."""

import pytest

from core import demo
from core.models import User
from supervision.models import Alert, Audit, Disclosure

pytestmark = pytest.mark.django_db


def test_demo_disclosures_audit_and_alerts(client):
    demo.run()
    assert demo.run().changes == []
    published = Disclosure.objects.filter(status="published", cooperative__region_code="371323104201")
    draft = Disclosure.objects.get(status="draft", cooperative__region_code="371323104201")
    assert published.count() >= 1
    assert Audit.objects.get(cooperative=draft.cooperative).findings.count() == 1
    assert Alert.objects.exists()
    # every demo login has an address: on make run the notification mails show on the console
    assert not User.objects.filter(username__startswith="demo-", email="").exists()

    client.force_login(User.objects.get(username="demo-supervisor"))
    client.post(f"/supervision/disclosures/{draft.pk}/publish/")
    assert Disclosure.objects.get(pk=draft.pk).status == "published"

    client.force_login(User.objects.get(username="demo-member"))
    page = client.get(f"/supervision/disclosures/{draft.pk}/")
    assert page.status_code == 200
    listing = client.get("/supervision/disclosures/").content.decode()
    assert draft.cooperative.name in listing
    assert client.get("/supervision/alerts/").status_code == 403

    client.force_login(User.objects.get(username="demo-township"))
    assert client.get("/supervision/alerts/").status_code == 200
    assert client.get(Audit.objects.get(cooperative=draft.cooperative).get_absolute_url()).status_code == 200
