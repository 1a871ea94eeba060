"""factory_boy factories for the kernel; every test builds its data through these."""

import factory
from factory.django import DjangoModelFactory

from core.choices import RegionLevel, Role
from core.models import Region, RoleAssignment, User
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
    village = factory.SubFactory(
        RegionFactory, level=RegionLevel.VILLAGE, code=factory.Sequence(lambda n: f"371323104{300 + n}")
    )
    region_code = factory.LazyAttribute(lambda o: o.village.padded_code)
    legal_representative = "赵德明"
    chair_name = "赵德明"
    registered_capital = 100000
