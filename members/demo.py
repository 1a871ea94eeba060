"""Demo members: every demo cooperative gets its village collective and villagers.

东安村 (386 households) gets 43 members: the collective and 42 villagers from 40 households — the
party-branch secretary 赵德明 (who holds the branch's collective share), branch and party members,
two poverty-registered households and 周大山, linked to the login demo-member — so that its
structure meets the seed-004 profile including the household rule (40 ≥ 10% × 386 = 38.6). The
other villages' cooperatives get ten members each (their household coverage stays below 10%: a
warning the demo shows on purpose).
"""

from __future__ import annotations

import datetime

from core.demo import DemoContext, upsert
from core.validators import id_check_character, org_code_check_character, parse_resident_id, uscc_check_character

DONGAN = "371323104201"
JOINED = datetime.date(2020, 3, 18)

# name, gender (M/F), birth date, household (number, shared by spouses), flags
# flags: b = party-branch member, p = party member, c = village cadre, P = poverty-registered,
#        e = elderly living alone, d = disabled, n = not a farmer
DONGAN_PEOPLE = [
    ("赵德明", "M", "1968-04-12", "001", "bpc"),
    ("孙丽华", "F", "1975-09-03", "002", "bpc"),
    ("周大山", "M", "1972-01-26", "003", ""),
    ("钱永福", "M", "1965-07-19", "004", "p"),
    ("李桂兰", "F", "1969-11-30", "005", ""),
    ("王建军", "M", "1978-02-14", "006", "bp"),
    ("张秀英", "F", "1958-05-21", "007", ""),
    ("刘志刚", "M", "1981-08-08", "008", "pc"),
    ("陈玉梅", "F", "1983-03-17", "008", ""),
    ("杨国庆", "M", "1962-10-01", "009", ""),
    ("黄春生", "M", "1970-02-05", "010", "p"),
    ("吴秀珍", "F", "1966-12-12", "011", ""),
    ("徐文斌", "M", "1985-06-06", "012", "n"),
    ("孙德旺", "M", "1959-09-09", "013", ""),
    ("马桂芳", "F", "1946-04-04", "014", "Pe"),
    ("朱建华", "M", "1974-07-07", "015", ""),
    ("胡立军", "M", "1977-01-11", "016", ""),
    ("郭淑珍", "F", "1963-03-03", "017", ""),
    ("何长青", "M", "1960-08-18", "018", "p"),
    ("高玉兰", "F", "1971-05-15", "019", ""),
    ("林海涛", "M", "1988-12-28", "020", "n"),
    ("罗秀云", "F", "1967-06-16", "021", ""),
    ("郑国强", "M", "1973-04-24", "022", ""),
    ("梁桂英", "F", "1964-02-22", "023", ""),
    ("谢永胜", "M", "1976-10-10", "024", ""),
    ("宋红梅", "F", "1979-11-11", "024", ""),
    ("唐德福", "M", "1957-01-31", "025", ""),
    ("许凤英", "F", "1961-07-27", "026", ""),
    ("韩志勇", "M", "1980-09-19", "027", "p"),
    ("冯秀兰", "F", "1968-03-13", "028", ""),
    ("邓建平", "M", "1972-12-02", "029", ""),
    ("曹玉珍", "F", "1965-08-25", "030", ""),
    ("彭德山", "M", "1955-06-30", "031", ""),
    ("曾桂香", "F", "1970-04-08", "032", ""),
    ("肖国华", "M", "1982-02-26", "033", ""),
    ("田秀芬", "F", "1952-10-20", "034", "Pd"),
    ("董永刚", "M", "1975-05-05", "035", ""),
    ("潘玉霞", "F", "1969-09-29", "036", ""),
    ("袁春林", "M", "1963-11-23", "037", ""),
    ("蒋凤兰", "F", "1966-01-18", "038", ""),
    ("蔡文军", "M", "1979-07-12", "039", ""),
    ("魏长发", "M", "1961-03-09", "040", ""),
]
OTHER_PEOPLE = [
    ("孙家和", "M", "1966-05-01", "b"),
    ("王秀兰", "F", "1970-03-12", "p"),
    ("李建国", "M", "1968-08-08", ""),
    ("张玉珍", "F", "1972-11-02", ""),
    ("刘长顺", "M", "1960-01-20", ""),
    ("陈桂花", "F", "1975-06-18", ""),
    ("杨德胜", "M", "1963-09-27", ""),
    ("赵春燕", "F", "1980-12-05", "P"),
    ("吴志强", "M", "1977-04-14", ""),
]
COLLECTIVE_NAMES = {
    "371323104201": "东安村股份经济合作社",
    "371323104202": "西岭村股份经济合作社",
    "371323104203": "南坪村股份经济合作社",
    "371323105201": "北岭村股份经济合作社",
    "371323105202": "石泉村股份经济合作社",
    "371323105203": "杏山村股份经济合作社",
}


def resident_id(county: str, birth: str, serial: int, gender: str) -> str:
    """A well-formed ID number: county code, birth date, a sequence with the right parity, check."""
    seq = serial * 2 + (1 if gender == "M" else 0)  # odd for men, even for women
    first17 = f"{county}{birth.replace('-', '')}{seq % 1000:03d}"
    return first17 + id_check_character(first17)


def collective_uscc(village_code: str) -> str:
    """N2 (agriculture; village collective economic organisation) + county + organisation code."""
    body = f"C{village_code[-7:]}"
    first17 = "N2" + village_code[:6] + body + org_code_check_character(body)
    return first17 + uscc_check_character(first17)


def _person_values(coop, village, household, number, name, gender, birth, serial, flags, user=None) -> dict:
    number_id = resident_id(village.code[:6], birth, serial, gender)
    parsed = parse_resident_id(number_id)
    vulnerability = "elderly_alone" if "e" in flags else "disabled" if "d" in flags else ""
    return {
        "number": number,
        "kind": "person",
        "name": name,
        "gender": parsed.gender,
        "birth_date": parsed.birth_date,
        "household": household,
        "village": village,
        "uscc": "",
        "phone": f"138{serial:08d}",
        "address": f"{village.name}{household.number[-1]}组",
        "is_party_member": "p" in flags or "b" in flags,
        "is_branch_member": "b" in flags,
        "is_village_cadre": "c" in flags,
        "is_poverty_registered": "P" in flags,
        "vulnerability": vulnerability,
        "is_farmer": "n" not in flags,
        "joined_on": JOINED,
        "region_code": coop.region_code,
        "user": user,
    }, number_id


def seed(ctx: DemoContext) -> None:
    from members.models import Household, Member

    for code, coop in ctx.cooperatives.items():
        village = ctx.regions[code]
        upsert(
            Member,
            {"cooperative": coop, "kind": "collective"},
            {
                "number": 1,
                "name": COLLECTIVE_NAMES.get(code, f"{village.name}股份经济合作社"),
                "uscc": collective_uscc(code),
                "legal_representative": coop.chair_name,
                "is_farmer": False,
                "joined_on": JOINED,
                "region_code": coop.region_code,
                "address": coop.address,
            },
            ctx,
        )
        if code == DONGAN:
            people = [(n, g, b, hh, f) for n, g, b, hh, f in DONGAN_PEOPLE]
        else:
            people = [(n, g, b, f"{i + 1:03d}", f) for i, (n, g, b, f) in enumerate(OTHER_PEOPLE)]
            people[0] = (coop.chair_name, "M", people[0][2], people[0][3], "bpc")
        households: dict[str, Household] = {}
        for i, (name, gender, birth, hh_number, flags) in enumerate(people):
            hh_key = f"{code[-6:]}-{hh_number}"
            if hh_key not in households:
                households[hh_key] = upsert(
                    Household,
                    {"village": village, "number": hh_key},
                    {"head_name": name, "size": 3 + i % 3, "region_code": village.padded_code},
                    ctx,
                )
            user = ctx.users.get("demo-member") if (code == DONGAN and name == "周大山") else None
            values, id_number = _person_values(
                coop, village, households[hh_key], i + 2, name, gender, birth, int(code[-3:]) * 100 + i, flags, user
            )
            upsert(Member, {"cooperative": coop, "id_number": id_number}, values, ctx)
