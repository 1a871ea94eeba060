"""Demo data: a county of two townships and six villages, and one login per role.

``python manage.py seed_demo`` runs the kernel step below, then the ``seed`` step of every app's
``demo.py`` in INSTALLED_APPS order (lower layers first). Every step is idempotent: it looks rows up
by their natural keys and writes only what differs, so a second run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.choices import RegionLevel, Role

DEMO_PASSWORD = "lingban-demo"  # noqa: S105 - published demo password, listed in the README

PREFECTURE = ("371300", "临沂市")
COUNTY = ("371323", "沂水县")
TOWNSHIPS = [
    (
        "371323104",
        "许家湖镇",
        [("371323104201", "东安村", 386), ("371323104202", "西岭村", 412), ("371323104203", "南坪村", 275)],
    ),
    (
        "371323105",
        "院东头镇",
        [("371323105201", "北岭村", 530), ("371323105202", "石泉村", 348), ("371323105203", "杏山村", 297)],
    ),
]

# username, full name, role, region code
DEMO_USERS = [
    ("demo-admin", "系统管理员", Role.SYSTEM_ADMIN, COUNTY[0]),
    ("demo-county", "王建国", Role.COUNTY_OFFICIAL, COUNTY[0]),
    ("demo-township", "李秀英", Role.TOWNSHIP_OFFICIAL, "371323104"),
    ("demo-township2", "张志强", Role.TOWNSHIP_OFFICIAL, "371323105"),
    ("demo-accountant", "刘芳", Role.VILLAGE_ACCOUNTANT, "371323104201"),
    ("demo-accountant2", "陈静", Role.VILLAGE_ACCOUNTANT, "371323105201"),
    ("demo-chair", "赵德明", Role.COOP_CHAIR, "371323104201"),
    ("demo-supervisor", "孙丽华", Role.SUPERVISOR, "371323104201"),
    ("demo-member", "周大山", Role.MEMBER, "371323104201"),
]


@dataclass
class DemoContext:
    """What the steps share: the regions and users by key, and a log of what changed."""

    regions: dict[str, object] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)
    cooperatives: dict[str, object] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)
    stdout: object = None

    def note(self, message: str) -> None:
        self.changes.append(message)


def upsert(model, lookup: dict, values: dict, ctx: DemoContext | None = None, *, create_only: dict | None = None):
    """Get the row by ``lookup``; create it with ``values`` or update only the fields that differ.

    ``create_only`` values are written when the row is created and never compared afterwards
    (figures copied at recording time, such as an award's amount and the profile it came from).
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values, **(create_only or {}))
        if ctx:
            ctx.note(f"created {model._meta.model_name} {obj}")
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
        if ctx:
            ctx.note(f"updated {model._meta.model_name} {obj}: {', '.join(changed)}")
    return obj


def seed_kernel(ctx: DemoContext) -> None:
    from core.models import Region, RoleAssignment, User

    prefecture = upsert(Region, {"code": PREFECTURE[0]}, {"name": PREFECTURE[1], "level": RegionLevel.PREFECTURE}, ctx)
    county = upsert(
        Region, {"code": COUNTY[0]}, {"name": COUNTY[1], "level": RegionLevel.COUNTY, "parent": prefecture}, ctx
    )
    ctx.regions[county.code] = county
    for code, name, villages in TOWNSHIPS:
        township = upsert(Region, {"code": code}, {"name": name, "level": RegionLevel.TOWNSHIP, "parent": county}, ctx)
        ctx.regions[code] = township
        for vcode, vname, households in villages:
            village = upsert(
                Region,
                {"code": vcode},
                {"name": vname, "level": RegionLevel.VILLAGE, "parent": township, "households": households},
                ctx,
            )
            ctx.regions[vcode] = village
    from core.models import CountyPolicy, PolicyProfile
    from core.policies import SEED_004, ensure_templates

    if not PolicyProfile.objects.filter(code=SEED_004).exists():
        ensure_templates()

    # 沂水县 is the county of seed 004: it applies that document's thresholds (or its own copy of
    # them, once the county has changed a figure such as its ranking weights)
    seed_004 = PolicyProfile.objects.get(code=SEED_004)
    chosen = CountyPolicy.objects.filter(county=county).select_related("profile").first()
    if chosen is None or (chosen.profile != seed_004 and chosen.profile.based_on_id != seed_004.pk):
        upsert(CountyPolicy, {"county": county}, {"profile": seed_004}, ctx)
    for username, full_name, role, region_code in DEMO_USERS:
        is_admin = role == Role.SYSTEM_ADMIN
        user = upsert(
            User,
            {"username": username},
            {
                "full_name": full_name,
                # notifications by e-mail show on make run's console (the dev mail backend); .example
                # is reserved and never resolves
                "email": f"{username}@lingban.example",
                "is_staff": is_admin,
                "is_superuser": is_admin,
                "is_active": True,
            },
            ctx,
        )
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            ctx.note(f"set password of {username}")
        upsert(
            RoleAssignment, {"user": user, "role": role, "region": ctx.regions[region_code]}, {"is_active": True}, ctx
        )
        ctx.users[username] = user


def run(stdout=None) -> DemoContext:
    """Run every demo step in one transaction."""
    from django.apps import apps
    from django.db import transaction
    from django.utils.module_loading import import_string, module_has_submodule

    from core import changes

    ctx = DemoContext(stdout=stdout)
    # the supervision step computes every statistics snapshot at the end: no refresh per change
    with changes.quiet(), transaction.atomic():
        seed_kernel(ctx)
        for config in apps.get_app_configs():
            if config.name != "core" and module_has_submodule(config.module, "demo"):
                import_string(f"{config.name}.demo.seed")(ctx)
    return ctx
