"""Issue 4, done when: "An accountant imports a 300-member roster from Excel, records land and cash
contributions, sees the share structure and a compliance panel that matches hand-computed
percentages, and prints a certificate; a township official sees the same cooperative read-only."

Walked through the real pages with the Django test client. 东安村 has 386 households; the county
applies the seed-004 profile (collective 20–40% warn, party-branch members ≥ 1% refuse, one member
≤ 20% refuse, households ≥ 10% warn; the law's farmer ≥ 80% and organisation caps refuse).

The roster (300 rows):
  row 2        the village collective: collective assets appraised at 90,000.00
  rows 3–5     赵德明, 孙丽华, 王建军, party-branch members: 2,360.00 cash each      =   7,080.00
  rows 6–299   294 villagers: 680.00 each (land 1 mu × 680.00 or cash 680.00)     = 199,920.00
  rows 300–301 王小二, 李小三: no contribution in the workbook
Then through the contribution form:
  王小二 land 2.5 mu × 800.00 = 2,000.00;  李小三 cash 1,000.00
Total 90,000 + 7,080 + 199,920 + 2,000 + 1,000 = 300,000.00 yuan of shares, 300 holders.

Hand-computed percentages:
  collective                90,000 / 300,000 = 30.00%   (20%–40%: passed)
  party-branch members       7,080 / 300,000 =  2.36%   (≥ 1%: passed)
  largest single stake       2,360 / 300,000 =  0.7867% → 0.79%   (≤ 20%: passed)
  member households          299 / 386       = 77.4611% → 77.46%  (≥ 10%: passed)
  farmers                    299 / 300       = 99.6667% → 99.67%  (≥ 80%: passed)
"""

import re
from decimal import Decimal

from members.models import Member
from shares.models import Contribution, Holding, ImportBatch, ShareCertificate
from tests.members.factories import resident_id, uscc
from tests.shares.workbooks import workbook

BRANCH = ["赵德明", "孙丽华", "王建军"]


def _roster() -> list[dict]:
    rows = [
        {
            "kind": "村集体",
            "name": "东安村股份经济合作社",
            "uscc": uscc("N2", 4201),
            "joined_on": "2024-03-01",
            "contribution_kind": "集体资源资产资金",
            "amount": "90000",
            "appraiser": "沂水县农村经营管理站",
            "appraisal_date": "2024-02-20",
            "contributed_on": "2024-03-01",
        }
    ]

    def person(i, name, **extra):
        return {
            "kind": "个人",
            "name": name,
            "id_number": resident_id(2000 + i),
            "household_number": f"DA{i:04d}",
            "household_size": 3,
            "is_farmer": "是",
            "joined_on": "2024-03-01",
            "contributed_on": "2024-03-01",
            **extra,
        }

    for i, name in enumerate(BRANCH):
        rows.append(
            person(i, name, is_party_member="是", is_branch_member="是", contribution_kind="现金", amount="2360")
        )
    for i in range(3, 297):
        if i % 2:
            contribution = {"contribution_kind": "现金", "amount": "680"}
        else:
            contribution = {
                "contribution_kind": "土地承包经营权",
                "area_mu": "1",
                "value_per_mu": "680",
                "location": "村东洼",
                "term_years": "10",
                "appraiser": "沂水县农村经营管理站",
                "appraisal_date": "2024-02-20",
            }
        rows.append(person(i, f"村民{i}", **contribution))
    rows.append(person(297, "王小二"))
    rows.append(person(298, "李小三"))
    return rows


def _actual(page: str, rule: str) -> str:
    match = re.search(rf'data-actual="{rule}">([^<]+)<', page)
    assert match, rule
    return match.group(1)


def _status(page: str, rule: str) -> str:
    return re.search(rf'data-rule="{rule}" data-status="(\w+)"', page).group(1)


def test_accountant_imports_records_sees_structure_prints_and_township_reads(client, world, coop, use_profile):
    use_profile("seed-004")
    client.force_login(world.acc_v11)

    # 1. the import page and its template
    assert client.get(f"/shares/import/?cooperative={coop.pk}").status_code == 200
    assert client.get("/shares/import/template.xlsx").status_code == 200
    rows = _roster()
    assert len(rows) == 300
    response = client.post("/shares/import/", {"cooperative": coop.pk, "file": workbook(rows, "东安村花名册.xlsx")})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/shares/import/{batch.pk}/"
    assert batch.state == "done", batch.errors[:3]
    assert (batch.created_members, batch.created_contributions) == (300, 298)
    assert Member.objects.filter(cooperative=coop).count() == 300
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "/shares/contributions/confirm/" in page  # offers to confirm the 298 drafts

    # 2. land and cash contributions through the form
    wang = Member.objects.get(cooperative=coop, name="王小二")
    li = Member.objects.get(cooperative=coop, name="李小三")
    assert client.get(f"/shares/contributions/new/?member={wang.pk}").status_code == 200
    response = client.post(
        f"/shares/contributions/new/?member={wang.pk}",
        {
            "member": wang.pk,
            "kind": "land",
            "area_mu": "2.5",
            "value_per_mu": "800.00",
            "location": "村南坡",
            "term_years": "15",
            "appraiser": "沂水县农村经营管理站",
            "appraisal_date": "2024-02-20",
            "contributed_on": "2024-03-05",
        },
    )
    assert response.status_code == 302
    assert Contribution.objects.get(member=wang).amount == Decimal("2000.00")  # 2.5 × 800.00
    response = client.post(
        f"/shares/contributions/new/?member={li.pk}",
        {"member": li.pk, "kind": "cash", "amount": "1000.00", "contributed_on": "2024-03-05"},
    )
    assert response.status_code == 302

    # 3. the cooperative page offers to confirm the 300 drafts together; confirming writes the ledger
    page = client.get(f"/cooperatives/{coop.pk}/").content.decode()
    assert "/shares/contributions/confirm/" in page
    response = client.post("/shares/contributions/confirm/", {"cooperative": coop.pk})
    assert response.status_code == 302
    assert not Contribution.objects.filter(cooperative=coop, state="draft").exists()
    assert sum(h.amount for h in Holding.objects.filter(cooperative=coop)) == Decimal("300000.00")

    # 4. share structure and compliance, as computed by hand in the module docstring
    page = client.get(f"/cooperatives/{coop.pk}/").content.decode()
    assert 'data-testid="structure-total">300,000.00<' in page
    assert f'id="share-structure-data-{coop.pk}"' in page and "data-chart-source" in page
    expected = {
        "collective_band": "30.00%",
        "party_members_min": "2.36%",
        "single_member_max": "0.79%",
        "households_min": "77.46%",
        "farmer_members_min": "99.67%",
    }
    for rule, value in expected.items():
        assert _actual(page, rule) == value, rule
        assert _status(page, rule) == "passed", rule
    assert 'data-testid="members-total">300<' in page

    # 5. certificates: issue, then print one
    response = client.post("/shares/certificates/issue/", {"cooperative": coop.pk})
    assert response.status_code == 302
    zhao = Member.objects.get(cooperative=coop, name="赵德明")
    cert = ShareCertificate.objects.get(member=zhao, state="valid")
    assert re.fullmatch(r"东安-\d{4}-0002", cert.number)  # the collective (member 1) got 0001
    page = client.get(f"/shares/certificates/{cert.pk}/").content.decode()
    assert cert.number in page and "股 权 证" in page and "2,360.00" in page
    assert "shares/css/shares.css" in page and "data-print" in page

    # 6. the township official sees the same cooperative, read-only
    client.force_login(world.twp_t1)
    page = client.get(f"/cooperatives/{coop.pk}/").content.decode()
    for rule, value in expected.items():
        assert _actual(page, rule) == value
    assert 'data-testid="structure-total">300,000.00<' in page
    assert "/shares/contributions/confirm/" not in page and "/shares/transfer/" not in page
    assert "/shares/import/" not in page and "/members/new/" not in page
    assert client.get(f"/shares/certificates/{cert.pk}/").status_code == 200
    for url in (f"/shares/import/?cooperative={coop.pk}", f"/shares/contributions/new/?member={li.pk}"):
        assert client.get(url).status_code == 403
    assert client.post("/shares/certificates/issue/", {"cooperative": coop.pk}).status_code == 403
    assert client.post(f"/members/{zhao.pk}/edit/", {"name": "改"}).status_code == 403
    # a member page shows the ID number masked to the township
    page = client.get(f"/members/{zhao.pk}/").content.decode()
    assert zhao.id_number not in page and zhao.masked_id_number in page
