"""factory_boy factories for the cooperatives app's governance rows (board terms, charters)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from tests.factories import CooperativeFactory, UserFactory

SECTIONS = {
    "organisation": "本社设成员大会、理事会和监事会；理事长由村党支部书记通过合法程序担任。",
    "share_structure": "村股份经济合作社代表村集体入股，占股不低于20%；单个成员不超过20%。",
    "operating_mechanism": "重大事项实行“四议两公开”，每季度公开财务收支。",
    "surplus_distribution": "弥补亏损后，20%留作发展和风险基金，10%奖励管理人员，70%按股份分配。",
    "party_building": "本社坚持党的领导，村党支部领办本社。",
    "business_scope": "组织成员开展果品种植、收购、销售，提供技术服务。",
}


class BoardTermFactory(DjangoModelFactory):
    class Meta:
        model = "cooperatives.BoardTerm"

    cooperative = factory.SubFactory(CooperativeFactory)
    region_code = factory.LazyAttribute(lambda o: o.cooperative.region_code)
    body = "board"
    number = 1
    elected_on = datetime.date(2023, 3, 18)
    start_date = datetime.date(2023, 3, 18)
    end_date = datetime.date(2028, 3, 17)


class BoardMemberFactory(DjangoModelFactory):
    class Meta:
        model = "cooperatives.BoardMember"

    term = factory.SubFactory(BoardTermFactory)
    cooperative = factory.LazyAttribute(lambda o: o.term.cooperative)
    region_code = factory.LazyAttribute(lambda o: o.term.region_code)
    name = factory.Sequence(lambda n: f"成员{n}")
    position = "director"


class CharterFactory(DjangoModelFactory):
    """A charter version written straight to a state (for reads); flows go through the services."""

    class Meta:
        model = "cooperatives.Charter"

    cooperative = factory.SubFactory(CooperativeFactory)
    region_code = factory.LazyAttribute(lambda o: o.cooperative.region_code)
    version = 1
    state = "draft"
    registered_name = factory.LazyAttribute(lambda o: o.cooperative.name)
    domicile = "山东省沂水县许家湖镇东安村"
    business_scope = SECTIONS["business_scope"]
    organisation = SECTIONS["organisation"]
    share_structure = SECTIONS["share_structure"]
    operating_mechanism = SECTIONS["operating_mechanism"]
    surplus_distribution = SECTIONS["surplus_distribution"]
    party_building = SECTIONS["party_building"]
    distribution_policy = "law"
    created_by = factory.SubFactory(UserFactory)
