"""factory_boy factories for the kernel; every test builds its data through these."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from core.choices import RegionLevel, Role
from core.models import PolicyProfile, Region, RoleAssignment, User
from tests.testapp.models import Document


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{371301 + n:06d}")
    level = RegionLevel.COUNTY
    name = factory.Sequence(lambda n: f"测试区划{n}")
    households = 0


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-12345-word")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """``UserFactory(roles=[(Role.X, region), ...])``"""
        for role, region in extracted or []:
            RoleAssignment.objects.create(user=self, role=role, region=region)
        if create:
            self.save()


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.VILLAGE_ACCOUNTANT
    region = factory.SubFactory(RegionFactory)


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document

    title = factory.Sequence(lambda n: f"文件{n}")
    region_code = "371323104201"


class CooperativeFactory(DjangoModelFactory):
    class Meta:
        model = "cooperatives.Cooperative"

    name = factory.Sequence(lambda n: f"测试专业合作社{n}")
    # villages 371323104300…999: the code stays 12 digits however many cooperatives a session builds
    village = factory.SubFactory(
        RegionFactory, level=RegionLevel.VILLAGE, code=factory.Sequence(lambda n: f"371323104{300 + n % 700}")
    )
    region_code = factory.LazyAttribute(lambda o: o.village.padded_code)
    legal_representative = "赵德明"
    chair_name = "赵德明"
    registered_capital = 100000


# -- cooperatives: governance (federations, awards, major matters, projects, archive) ---------------


class FederationMembershipFactory(DjangoModelFactory):
    class Meta:
        model = "cooperatives.FederationMembership"

    federation = factory.SubFactory(CooperativeFactory, kind="federation")
    member = factory.SubFactory(CooperativeFactory)
    region_code = factory.LazyAttribute(lambda o: o.federation.region_code)
    member_region_code = factory.LazyAttribute(lambda o: o.member.region_code)
    joined_on = datetime.date(2023, 1, 1)
    contribution = 0


class DemonstrationAwardFactory(DjangoModelFactory):
    class Meta:
        model = "cooperatives.DemonstrationAward"

    cooperative = factory.SubFactory(CooperativeFactory)
    region_code = factory.LazyAttribute(lambda o: o.cooperative.region_code)
    level = "county"
    year = 2023
    award_amount = Decimal("10000.00")
    award_basis = "seed-004"
    recorded_by = factory.SubFactory(UserFactory)


class ProductCertificationFactory(DjangoModelFactory):
    class Meta:
        model = "cooperatives.ProductCertification"

    cooperative = factory.SubFactory(CooperativeFactory)
    region_code = factory.LazyAttribute(lambda o: o.cooperative.region_code)
    kind = "green_food"
    product = "苹果"
    certificate_number = factory.Sequence(lambda n: f"LB-{n:06d}")
    certified_on = datetime.date(2023, 6, 1)
    award_amount = Decimal("10000.00")
    recorded_by = factory.SubFactory(UserFactory)


class MajorMatterFactory(DjangoModelFactory):
    class Meta:
        model = "cooperatives.MajorMatter"

    cooperative = factory.SubFactory(CooperativeFactory)
    region_code = factory.LazyAttribute(lambda o: o.cooperative.region_code)
    title = factory.Sequence(lambda n: f"重大事项{n}")
    category = "project"
    created_by = factory.SubFactory(UserFactory)


class ExpertFactory(DjangoModelFactory):
    class Meta:
        model = "cooperatives.Expert"

    region = factory.SubFactory(RegionFactory)
    region_code = factory.LazyAttribute(lambda o: o.region.padded_code)
    pool_prefix = factory.LazyAttribute(lambda o: o.region.prefix)
    name = factory.Sequence(lambda n: f"专家{n}")
    field = "果树栽培"
    organisation = "县农业农村局"


class ProjectProposalFactory(DjangoModelFactory):
    class Meta:
        model = "cooperatives.ProjectProposal"

    cooperative = factory.SubFactory(CooperativeFactory)
    region_code = factory.LazyAttribute(lambda o: o.cooperative.region_code)
    title = factory.Sequence(lambda n: f"项目{n}")
    main_business = "苹果种植与冷藏销售"
    scale = "流转土地200亩"
    total_investment = Decimal("500000.00")
    own_funds = Decimal("300000.00")
    fiscal_funds = Decimal("200000.00")
    expected_annual_return = Decimal("80000.00")
    market_study = "周边三县苹果收购价稳定。"
    risks = "冰雹灾害：购买农业保险。"
    created_by = factory.SubFactory(UserFactory)


class ArchivedDocumentFactory(DjangoModelFactory):
    class Meta:
        model = "cooperatives.ArchivedDocument"

    cooperative = factory.SubFactory(CooperativeFactory)
    region_code = factory.LazyAttribute(lambda o: o.cooperative.region_code)
    doc_type = "charter"
    title = factory.Sequence(lambda n: f"章程{n}")
    number = factory.Sequence(lambda n: f"ZC-{n:04d}")
    doc_date = datetime.date(2023, 3, 1)
    keeper = "李秀英"
    file = factory.django.FileField(filename="charter.pdf", data=b"%PDF-1.4 test")
    file_name = "charter.pdf"
    file_size = 13
    archived_by = factory.SubFactory(UserFactory)


class SealUseFactory(DjangoModelFactory):
    class Meta:
        model = "cooperatives.SealUse"

    cooperative = factory.SubFactory(CooperativeFactory)
    region_code = factory.LazyAttribute(lambda o: o.cooperative.region_code)
    used_on = datetime.date(2024, 5, 6)
    purpose = "签订农资采购合同"
    document_title = "农资采购合同"
    handler = factory.SubFactory(UserFactory)
    recorded_by = factory.SubFactory(UserFactory)


class PolicyProfileFactory(DjangoModelFactory):
    """A county's own copy of a shipped profile (``based_on``)."""

    class Meta:
        model = PolicyProfile

    code = factory.Sequence(lambda n: f"county-copy-{n}")
    name = factory.Sequence(lambda n: f"县政策{n}")


class CountyPolicyFactory(DjangoModelFactory):
    class Meta:
        model = "core.CountyPolicy"
        django_get_or_create = ("county",)

    county = factory.SubFactory(RegionFactory)
    profile = factory.LazyFunction(lambda: PolicyProfile.objects.get(code="seed-004"))
