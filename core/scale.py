"""Synthetic city-scale data: the step registry, the shared context and the kernel's own step.

``python manage.py generate_scale --scale {tiny,county,city} --seed N`` fills an empty database
with a realistic region (see ``docs/performance.md``). Every app contributes its rows through one
module, ``<app>/scale.py``, that registers a step when imported::

    from core.scale import register_step

    @register_step("dividends.plans", after=("finance.books",))
    def plans(ctx): ...

Steps run in dependency order (``after`` names steps that must run first; names of apps that are
not installed are ignored), each with its own random stream (``ctx.rng(name)``), so a step's rows
depend only on the seed, never on which other steps exist. Big tables are written with COPY
(``ctx.copy``) in the order the ids were reserved (``ctx.reserve_ids``), so the same seed in an
empty database gives the same rows, ids included. ``--digest`` runs every step without a database
write and prints a hash of everything that would be written: the determinism test compares it.

Loading rules, decided for synthetic data:

* The generator runs as the connection's own (owner) role with the system scope ``*``: it resets
  any role a previous request left and says so explicitly, so row-level security never filters it.
* History triggers (django-pghistory) and the ledger guards (pgtrigger) are switched off for the
  load with ``SET LOCAL session_replication_role = replica`` (superuser only): a synthetic region
  has no history to keep, and replaying millions of history rows would double the load. Every
  invariant those triggers guard (balanced vouchers, gap-free numbers, holdings equal to the ledger,
  foreign keys) is built in by the generator and checked by ``tests/scale/``. Without superuser
  rights the load still works, with the triggers firing (and history written), only slower.
* Everything is one transaction: a failed run leaves nothing behind.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib
import importlib.util
import io
import json
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

# -- the registry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    name: str
    fn: Callable
    after: tuple[str, ...] = ()


_STEPS: dict[str, Step] = {}


def register_step(name: str, fn: Callable | None = None, *, after: Iterable[str] = ()):
    """Register ``fn`` as step ``name`` (usable as a decorator). Re-registering replaces the step."""

    def add(func: Callable) -> Callable:
        _STEPS[name] = Step(name, func, tuple(after))
        return func

    return add(fn) if fn is not None else add


def discover() -> None:
    """Import ``<app>.scale`` of every installed app that has one (lower layers first)."""
    from django.apps import apps

    for config in apps.get_app_configs():
        module = f"{config.name}.scale"
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)


def ordered_steps() -> list[Step]:
    """The registered steps, each after the steps it names (registration order breaks ties)."""
    done: list[Step] = []
    seen: set[str] = set()
    visiting: set[str] = set()

    def visit(step: Step) -> None:
        if step.name in seen:
            return
        if step.name in visiting:
            raise ValueError(f"scale steps depend on each other in a cycle at {step.name}")
        visiting.add(step.name)
        for dependency in step.after:
            if dependency in _STEPS:
                visit(_STEPS[dependency])
        visiting.discard(step.name)
        seen.add(step.name)
        done.append(step)

    for step in list(_STEPS.values()):
        visit(step)
    return done


# -- scales -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    name: str
    counties: int
    townships: int
    cooperatives: int
    members: int  # members of all cooperatives together, the village collective included
    largest: int = 0  # persons of one large cooperative in the middle of the plan (0: none)


# seed 000: one prefecture-level city, 7,229 branch-led cooperatives, 3.0 million members; one
# cooperative of 10,000 members carries the distribution plan preview benchmark
SCALES = {
    "tiny": Scale("tiny", counties=1, townships=2, cooperatives=6, members=300),
    "county": Scale("county", counties=1, townships=33, cooperatives=904, members=375_000, largest=10_000),
    "city": Scale("city", counties=8, townships=260, cooperatives=7_229, members=3_000_000, largest=10_000),
}

# GB/T 2260 codes of 烟台市 (Yantai, Shandong: the city of the 2017 pilots, DOMAIN.md §9)
PREFECTURE = ("370600", "烟台市")
COUNTIES = [
    ("370681", "龙口市"),
    ("370682", "莱阳市"),
    ("370683", "莱州市"),
    ("370685", "招远市"),
    ("370686", "栖霞市"),
    ("370687", "海阳市"),
    ("370612", "牟平区"),
    ("370614", "蓬莱区"),
]
YEAR = 2025  # the year of books the generator writes
NOW = datetime.datetime(2026, 1, 1, 8, 0, tzinfo=datetime.UTC)  # created_at/updated_at of every row

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "建国秀英志强丽华德明芳静大山海军玉兰桂英淑珍红梅春生金凤永福立新文杰伟刚小燕晓东"
    "国庆爱民振华淑兰树林宝山福海玉珍秀兰俊峰雪梅庆丰长青光明新民卫东成林"
)
PLACE = (
    "东西南北前后上下大小石河岭山泉杏桃李柳杨王张刘赵孙周吴郑冯陈马朱胡林高徐何罗宋梁"
    "韩唐郭曹许邓萧冷沙清水龙凤凰鹤岩松竹梅兰菊荷"
)


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def place_name(rng: random.Random, used: set[str], suffix: str) -> str:
    """A two-character place name unique among ``used`` (a third character when the pairs run out)."""
    for _ in range(50):
        name = rng.choice(PLACE) + rng.choice(PLACE) + suffix
        if name not in used:
            used.add(name)
            return name
    name = rng.choice(PLACE) + rng.choice(PLACE) + rng.choice(PLACE) + suffix
    while name in used:
        name = rng.choice(PLACE) + name
    used.add(name)
    return name


def split(total: int, parts: int, rng: random.Random, spread: float = 0.5) -> list[int]:
    """``total`` split into ``parts`` positive integers that add up exactly (sizes vary by ±spread)."""
    weights = [1 + spread * (2 * rng.random() - 1) for _ in range(parts)]
    whole = sum(weights)
    sizes = [max(1, int(total * w / whole)) for w in weights]
    diff = total - sum(sizes)
    i = 0
    while diff:
        step = 1 if diff > 0 else -1
        if sizes[i % parts] + step >= 1:
            sizes[i % parts] += step
            diff -= step
        i += 1
    return sizes


# -- the plan every step shares ---------------------------------------------------------------------


@dataclass
class VillagePlan:
    """One village and its one cooperative; apps fill in ids as they write rows."""

    index: int  # 0-based over the whole scale
    code: str
    name: str
    county_code: str
    township_code: str
    persons: int  # person members of the cooperative (the village collective comes on top)
    member_households: int
    households: int  # households of the village (Region.households)
    chair_name: str
    region_id: int = 0
    ids: dict[str, int] = field(default_factory=dict)  # e.g. "cooperative", "member_first"


@dataclass
class Plan:
    prefecture: tuple[str, str]
    counties: list[tuple[str, str]]
    townships: list[tuple[str, str, str]]  # code, name, county code
    villages: list[VillagePlan]
    region_ids: dict[str, int] = field(default_factory=dict)


def make_plan(scale: Scale, rng: random.Random) -> Plan:
    counties = COUNTIES[: scale.counties]
    per_county = split(scale.townships, scale.counties, rng, spread=0.1)
    townships: list[tuple[str, str, str]] = []
    for (county_code, _), n in zip(counties, per_county, strict=True):
        used: set[str] = set()
        for t in range(n):
            # GB/T 10114: 100–199 towns (镇), 200–399 townships (乡)
            if t < n * 2 // 3:
                code, suffix = f"{county_code}{101 + t:03d}", "镇"
            else:
                code, suffix = f"{county_code}{201 + t:03d}", "乡"
            townships.append((code, place_name(rng, used, suffix), county_code))
    per_township = split(scale.cooperatives, len(townships), rng, spread=0.3)
    # members: the collective plus persons; persons = members − one collective per cooperative
    persons_total = scale.members - scale.cooperatives
    if scale.largest:
        persons = split(persons_total - scale.largest, scale.cooperatives - 1, rng, spread=0.6)
        persons.insert(scale.cooperatives // 2, scale.largest)
    else:
        persons = split(persons_total, scale.cooperatives, rng, spread=0.6)
    villages: list[VillagePlan] = []
    for (township_code, _, county_code), n in zip(townships, per_township, strict=True):
        used = set()
        for v in range(n):
            index = len(villages)
            p = persons[index]
            member_households = max(1, -(-p // 4))  # about four members per household (seed 000: 3.0 M / 744,000)
            villages.append(
                VillagePlan(
                    index=index,
                    # NBS 12-digit code: villagers' committees 200–399, then 500–597 beyond 200 villages
                    code=f"{township_code}{201 + v if v < 199 else 500 + v - 199:03d}",
                    name=place_name(rng, used, "村"),
                    county_code=county_code,
                    township_code=township_code,
                    persons=p,
                    member_households=member_households,
                    # member households are 17%–50% of the village (seed 002: at least 10%)
                    households=member_households * rng.randint(2, 6),
                    chair_name=person_name(rng),
                )
            )
    return Plan(PREFECTURE, counties, townships, villages)


# -- the context --------------------------------------------------------------------------------


def _formatter(field_obj) -> Callable[[object], str]:
    from django.contrib.postgres.fields import ArrayField
    from django.db import models

    if isinstance(field_obj, models.JSONField):
        return lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True)
    if isinstance(field_obj, ArrayField):
        return lambda v: "{" + ",".join(str(x) for x in v) + "}"
    if isinstance(field_obj, models.BooleanField):
        return lambda v: "t" if v else "f"
    if isinstance(field_obj, models.DateTimeField | models.DateField):
        return lambda v: v.isoformat()
    return str


class ScaleContext:
    """What the steps share: the scale, the seed, the plan, id blocks and the COPY writer."""

    BATCH = 50_000

    def __init__(
        self, scale: Scale, seed: int, *, digest: bool = False, connection=None, stdout=None, analyze: bool = True
    ):
        self.scale = scale
        self.seed = seed
        self.digest_only = digest
        self.analyze_loaded = analyze and not digest
        self.connection = connection
        self.stdout = stdout
        self.hasher = hashlib.sha256()
        self.counts: dict[str, int] = {}
        self.timings: list[tuple[str, float]] = []
        self._next_ids: dict[str, int] = {}
        self.data: dict[str, object] = {}
        self.plan = make_plan(scale, self.rng("plan"))
        self.now = NOW
        self.year = YEAR

    def rng(self, name: str) -> random.Random:
        """A random stream of its own for each step: the same seed gives the same rows."""
        return random.Random(f"{self.seed}:{name}")  # noqa: S311 - synthetic data, not secrets

    def note(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    def reserve_ids(self, model, n: int) -> int:
        """Reserve ``n`` consecutive ids of ``model`` and return the first."""
        table = model._meta.db_table
        if n <= 0:
            return 0
        if self.digest_only:
            first = self._next_ids.get(table, 1)
            self._next_ids[table] = first + n
            return first
        with self.connection.cursor() as cur:
            cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cur.fetchone()[0]
            cur.execute("SELECT nextval(%s)", [sequence])
            first = cur.fetchone()[0]
            cur.execute("SELECT setval(%s, %s)", [sequence, first + n - 1])
        return first

    def copy(self, model, fields: list[str], rows: Iterable[tuple]) -> int:
        """COPY ``rows`` (tuples in the order of ``fields``) into ``model``'s table.

        Columns not named take the field's default (``created_at``/``updated_at`` take ``ctx.now``),
        so a field another app adds later with a default needs no change here.
        """
        meta = model._meta
        concrete = list(meta.concrete_fields)
        by_name = {f.name: f for f in concrete} | {f.attname: f for f in concrete}
        named = [by_name[f] for f in fields]
        rest = [f for f in concrete if f not in named]
        constants = []
        for f in rest:
            if f.name in ("created_at", "updated_at"):
                value = self.now
            else:
                value = f.get_default()  # the default, "" for text fields, None for nullable ones
                if value is None and not f.null:
                    raise ValueError(f"{meta.label}.{f.name} has no default: the scale step must give it")
            constants.append(value)
        formatters = [_formatter(f) for f in named]
        tail = "\t".join(r"\N" if v is None else _formatter(f)(v) for f, v in zip(rest, constants, strict=True))
        tail = ("\t" + tail) if rest else ""
        columns = ", ".join(f'"{f.column}"' for f in named + rest)
        sql = f'COPY "{meta.db_table}" ({columns}) FROM STDIN'
        buffer = io.StringIO()
        n = 0
        for row in rows:
            buffer.write(
                "\t".join(r"\N" if v is None else fmt(v) for fmt, v in zip(formatters, row, strict=True)) + tail + "\n"
            )
            n += 1
            if n % self.BATCH == 0:
                self._flush(sql, buffer)
                buffer = io.StringIO()
        self._flush(sql, buffer)
        self.counts[meta.label] = self.counts.get(meta.label, 0) + n
        return n

    def _flush(self, sql: str, buffer: io.StringIO) -> None:
        text = buffer.getvalue()
        if not text:
            return
        if self.digest_only:
            self.hasher.update(sql.encode())
            self.hasher.update(text.encode())
            return
        buffer.seek(0)
        with self.connection.cursor() as cur:
            cur.cursor.copy_expert(sql, buffer)

    def analyze(self, labels: Iterable[str]) -> None:
        """ANALYZE the tables a step loaded, so that the next steps' queries are planned on the rows
        that are there (without it PostgreSQL plans a step's correlated sub-query on the statistics
        of the empty tables and a tiny county's disclosures take minutes instead of a second)."""
        if not self.analyze_loaded:
            return
        from django.apps import apps

        with self.connection.cursor() as cur:
            for label in labels:
                cur.execute(f'ANALYZE "{apps.get_model(label)._meta.db_table}"')

    @property
    def digest(self) -> str:
        return self.hasher.hexdigest()


def run(ctx: ScaleContext, only: Iterable[str] | None = None) -> None:
    discover()
    for step in ordered_steps():
        if only and step.name not in only:
            continue
        start, cpu = time.perf_counter(), time.process_time()
        before = dict(ctx.counts)
        step.fn(ctx)
        ctx.analyze(label for label, n in ctx.counts.items() if n != before.get(label))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        ctx.timings.append((step.name, elapsed))
        # on a shared machine the generator's own CPU time says more than the wall clock
        ctx.note(f"  {step.name}: {elapsed:.1f} s (generator CPU {cpu:.1f} s)")


def money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


# -- the kernel's step: the region tree, county policies and a few logins -------------------------

SCALE_PASSWORD = "lingban-scale"  # noqa: S105 - synthetic benchmark logins, printed by the command


def county_profile_code(county_index: int) -> str:
    """The policy profile of the plan's ``county_index``-th county: 002, 004 and 001 in turn."""
    from core.policies import SEED_001, SEED_002, SEED_004

    codes = (SEED_002, SEED_004, SEED_001)
    return codes[county_index % len(codes)]


@register_step("core.regions")
def regions_step(ctx: ScaleContext) -> None:
    from core.choices import PREFIX_LENGTH, RegionLevel
    from core.models import Region

    plan = ctx.plan
    rows = [(plan.prefecture[0], RegionLevel.PREFECTURE, plan.prefecture[1], None, 0, "")]
    rows += [(code, RegionLevel.COUNTY, name, plan.prefecture[0], 0, "") for code, name in plan.counties]
    rows += [(code, RegionLevel.TOWNSHIP, name, county, 0, "") for code, name, county in plan.townships]
    # 城乡分类代码 220 村庄 (DOMAIN.md §7.2)
    rows += [(v.code, RegionLevel.VILLAGE, v.name, v.township_code, v.households, "220") for v in plan.villages]
    first = ctx.reserve_ids(Region, len(rows))
    plan.region_ids = {row[0]: first + i for i, row in enumerate(rows)}
    for v in plan.villages:
        v.region_id = plan.region_ids[v.code]
    ctx.copy(
        Region,
        ["id", "code", "level", "name", "parent_id", "prefix", "households", "urban_rural_class"],
        (
            (
                plan.region_ids[code],
                code,
                level,
                name,
                plan.region_ids[parent] if parent else None,
                code[: PREFIX_LENGTH[RegionLevel(level)]],
                households,
                urban_rural,
            )
            for code, level, name, parent, households, urban_rural in rows
        ),
    )
    if not ctx.digest_only:
        _policies_and_logins(ctx)


def _policies_and_logins(ctx: ScaleContext) -> None:
    """Few rows, through the ORM: each county's policy profile and one login per role for benchmarks."""
    from django.contrib.auth.hashers import make_password

    from core.choices import Role
    from core.models import CountyPolicy, PolicyProfile, Region, RoleAssignment, User
    from core.policies import ensure_templates

    ensure_templates()
    regions = {r.code: r for r in Region.objects.filter(code__in=ctx.plan.region_ids)}
    password = make_password(SCALE_PASSWORD)
    logins = [("scale-city", "市级管理员", Role.COUNTY_OFFICIAL, ctx.plan.prefecture[0])]
    for i, (county_code, _) in enumerate(ctx.plan.counties):
        profile = PolicyProfile.objects.get(code=county_profile_code(i))
        CountyPolicy.objects.create(county=regions[county_code], profile=profile)
        township = next(t for t in ctx.plan.townships if t[2] == county_code)
        village = next(v for v in ctx.plan.villages if v.county_code == county_code)
        logins += [
            (f"scale-county-{county_code}", "县级管理员", Role.COUNTY_OFFICIAL, county_code),
            (f"scale-township-{township[0]}", "乡镇审核员", Role.TOWNSHIP_OFFICIAL, township[0]),
            (f"scale-accountant-{village.code}", "村报账员", Role.VILLAGE_ACCOUNTANT, village.code),
            (f"scale-chair-{village.code}", village.chair_name, Role.COOP_CHAIR, village.code),
        ]
    for username, full_name, role, code in logins:
        user = User.objects.create(username=username, full_name=full_name, password=password)
        RoleAssignment.objects.create(user=user, role=role, region=regions[code])
    ctx.data["logins"] = [login[0] for login in logins]
