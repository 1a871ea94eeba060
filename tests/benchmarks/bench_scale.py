"""City-scale benchmarks (``make bench``; not part of the test suite: no ``test_`` prefix).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lingban_bench \
        .venv/bin/python tests/benchmarks/bench_scale.py --scale county [--runs 20] [--write-docs]

It makes sure the database holds the scale (migrates and runs ``generate_scale`` when the region
is missing), then measures each operation ``--runs`` times after a warm-up, as a request does
(the unprivileged role under row-level security with the user's prefixes), and prints median and
p95 in milliseconds beside the floor: the same work as one hand-written SQL query, or for whole
pages a trivial Django view (the login page) for the request overhead. Results are kept in
``docs/benchmarks/<scale>.json``; ``--write-docs`` rewrites the generated table in
``docs/benchmarks.md`` and the growth chart ``docs/benchmarks/latency.png`` from every scale measured.

Rows for apps that have not landed (dashboards, rankings, distribution plan preview, disclosures)
are placeholders that print "app not present" instead of a number.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")  # DEBUG off, plain static files
RESULTS = ROOT / "docs" / "benchmarks"
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench_scale:begin -->", "<!-- bench_scale:end -->"

# city estimate from county: "flat" work reads one page or one cooperative (an index scan, the same
# at any size); "linear" work reads the whole jurisdiction (8 counties = 8 × county)
CITY_FACTOR = {"flat": 1, "linear": 8}


def percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]


def timed(fn, runs: int) -> tuple[float, float]:
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)


def ensure_database() -> None:
    """Create the database named by DATABASE_URL when it does not exist (make bench: lingban_bench)."""
    import psycopg2
    from django.conf import settings

    db = settings.DATABASES["default"]
    params = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"], "password": db["PASSWORD"]}
    conn = psycopg2.connect(dbname="postgres", **{k: v for k, v in params.items() if v})
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        if cur.fetchone() is None:
            print(f"creating database {db['NAME']}", flush=True)
            cur.execute(f'CREATE DATABASE "{db["NAME"]}"')
    conn.close()


def ensure_scale(scale: str, seed: int) -> float | None:
    """Migrate and generate ``scale`` when the database does not hold it yet; the load time, if any."""
    from django.core.management import call_command

    ensure_database()

    from core.models import Region
    from core.scale import PREFECTURE

    call_command("migrate", verbosity=0, interactive=False)
    if Region.objects.filter(code=PREFECTURE[0]).exists():
        return None
    start = time.perf_counter()
    call_command("generate_scale", scale=scale, seed=seed)
    return time.perf_counter() - start


class Bench:
    def __init__(self, scale: str, runs: int):
        self.scale, self.runs, self.rows = scale, runs, []

    def add(self, key, label, target, fn, floor=None, floor_label="", grows="flat"):
        median, p95 = timed(fn, self.runs)
        floor_median = timed(floor, self.runs)[0] if floor else None
        self.rows.append(
            {
                "key": key,
                "label": label,
                "target": target,
                "median": round(median, 1),
                "p95": round(p95, 1),
                "floor": round(floor_median, 1) if floor_median is not None else None,
                "floor_label": floor_label,
                "grows": grows,
            }
        )
        floor_text = f"   floor {floor_median:7.1f} ({floor_label})" if floor_median is not None else ""
        print(f"{label:<62} median {median:8.1f}  p95 {p95:8.1f} ms{floor_text}", flush=True)

    def skip(self, key, label, target, reason):
        self.rows.append({"key": key, "label": label, "target": target, "skipped": reason})
        print(f"{label:<62} skipped: {reason}", flush=True)


def sql(query: str, params=()):
    from django.db import connection

    def run():
        with connection.cursor() as cur:
            cur.execute(query, params)
            cur.fetchall()

    return run


def under_rls(user, fn):
    """Run ``fn`` as a request of ``user`` runs: role lingban_app, the user's prefixes."""
    from core import rls

    scope = rls.scope_for(user)

    def run():
        rls.enter_request_scope(scope)
        try:
            fn()
        finally:
            rls.leave_request_scope()

    return run


def page(client, url):
    def run():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return run


def http_load(url: str, cookie: str, clients: int, seconds: float) -> dict:
    """``clients`` threads fetch ``url`` for ``seconds``; latency percentiles and errors."""
    samples: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker():
        while time.perf_counter() < stop:
            request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - local gunicorn
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    response.read()
                    ok = response.status == 200
            except Exception:
                ok = False
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                samples.append(elapsed)
                errors[0] += 0 if ok else 1

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    median, p95 = percentiles(samples)
    return {"median": median, "p95": p95, "requests": len(samples), "errors": errors[0]}


def run_benchmarks(scale: str, runs: int, http_seconds: float) -> Bench:
    from django.conf import settings
    from django.contrib.auth import SESSION_KEY
    from django.test import Client
    from django.test.utils import setup_test_environment

    from cooperatives.models import Cooperative
    from core.models import User
    from finance.models import VoucherLine
    from finance.selectors.ledgers import resolve_range, trial_balance

    settings.ALLOWED_HOSTS = ["*"]
    setup_test_environment()
    bench = Bench(scale, runs)
    county = User.objects.filter(username__startswith="scale-county-").order_by("username").first()
    accountant = User.objects.filter(username__startswith="scale-accountant-").order_by("username").first()
    village = accountant.role_assignments.get().region
    coop = Cooperative.objects.get(village=village)
    clients = {}
    for user in (county, accountant):
        clients[user.pk] = Client()
        clients[user.pk].force_login(user)
    anonymous = Client()
    overhead = page(anonymous, "/accounts/login/")

    bench.add("request_floor", "trivial Django view (login page): request overhead", None, overhead, grows="flat")
    bench.add(
        "cooperative_page",
        "cooperative page (accountant)",
        100,
        page(clients[accountant.pk], f"/cooperatives/{coop.pk}/"),
        under_rls(accountant, sql("SELECT * FROM cooperatives_cooperative WHERE id = %s", [coop.pk])),
        "the cooperative row",
    )
    bench.add(
        "member_list_coop",
        "member list page, one cooperative (accountant)",
        100,
        page(clients[accountant.pk], f"/members/?cooperative={coop.pk}"),
        under_rls(
            accountant,
            sql(
                "SELECT * FROM members_member WHERE cooperative_id = %s ORDER BY number LIMIT 25",
                [coop.pk],
            ),
        ),
        "first 25 members",
    )
    bench.add(
        "member_list_county",
        "member list page, whole county (county official)",
        100,
        page(clients[county.pk], "/members/"),
        under_rls(
            county,
            sql("SELECT * FROM members_member ORDER BY cooperative_id, number LIMIT 25"),
        ),
        "first 25 members of the county",
        grows="flat",  # one county: a county of the city holds as many rows as `county` (capped counts)
    )
    bench.add(
        "voucher_list_county",
        "voucher list page, whole county (county official)",
        150,
        page(clients[county.pk], "/finance/vouchers/"),
        under_rls(county, sql("SELECT * FROM finance_voucher ORDER BY date DESC, id DESC LIMIT 25")),
        "newest 25 vouchers",
        grows="flat",  # one county: a county of the city holds as many rows as `county` (capped counts)
    )
    ledger_range = resolve_range(coop, year=2025, period_from=1, period_to=12)
    lines = VoucherLine.objects.filter(cooperative=coop).count()
    period_ids = [p.pk for p in ledger_range.periods]
    bench.add(
        "trial_balance_coop",
        f"trial balance of one cooperative ({lines:,} lines)",
        200,
        under_rls(accountant, lambda: trial_balance(ledger_range, level=3)),
        under_rls(
            accountant,
            sql(
                "SELECT account_id, SUM(debit), SUM(credit) FROM finance_voucherline WHERE cooperative_id = %s "
                "AND is_posted AND period_id = ANY(%s) GROUP BY account_id",
                [coop.pk, period_ids],
            ),
        ),
        "one GROUP BY account_id",
    )
    bench.add(
        "county_members_by_coop",
        "members and shares per cooperative, whole county (SQL)",
        None,
        under_rls(
            county,
            sql(
                "SELECT cooperative_id, count(*), sum(amount) FROM shares_holding GROUP BY cooperative_id",
            ),
        ),
        grows="flat",  # one county
    )
    # placeholders: filled in when the apps land (each names the module it waits for)
    for key, label, target, module in (
        ("county_dashboard", "county dashboard (1,000 cooperatives)", 100, "supervision.dashboards"),
        ("city_ranking", "city ranking of 7,229 cooperatives", 300, "supervision.rankings"),
        ("plan_preview", "distribution plan preview, 10,000 members", 500, "dividends.services"),
        ("share_contribution", "cash contribution confirmed with its voucher", 50, "shares.services"),
        ("county_tie_out", "tie-out of a county", 5000, "finance.selectors"),
        ("disclosures", "quarterly disclosures, all cooperatives, 2 workers", 360_000, "supervision.tasks"),
    ):
        hook = module.rsplit(".", 1)[0] + ".bench"
        if importlib.util.find_spec(module.split(".")[0]) is None or importlib.util.find_spec(hook) is None:
            bench.skip(key, label, target, f"app not present ({hook})")
        else:
            importlib.import_module(hook).run(bench, key)

    if http_seconds:
        _http(bench, county, http_seconds, SESSION_KEY)
    return bench


def _http(bench: Bench, user, seconds: float, session_key: str) -> None:
    """gunicorn with 2 workers on the same database; 50 clients fetch the voucher list."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[session_key] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.save()
    port = 18765
    env = {**os.environ, "ALLOWED_HOSTS": "*", "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--preload",  # the application, URLconf included, is imported once before the workers fork
            "--timeout",
            "120",
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/finance/vouchers/"
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        ready = 0
        for _ in range(240):  # until the workers have answered a few requests (warm-up)
            try:
                request = urllib.request.Request(url, headers={"Cookie": cookie})
                urllib.request.urlopen(request, timeout=60)  # noqa: S310
                ready += 1
                if ready >= 6:
                    break
            except Exception:
                time.sleep(0.5)
        result = http_load(url, cookie, clients=50, seconds=seconds)
        row = {
            "key": "http_vouchers_50",
            "label": "HTTP voucher list, 50 concurrent clients, gunicorn 2 workers",
            "target": 250,
            "median": round(result["median"], 1),
            "p95": round(result["p95"], 1),
            "floor": None,
            "floor_label": "",
            "grows": "flat",  # one county's vouchers, the same size at city scale
            "note": f"{result['requests']} requests, {result['errors']} errors",
        }
        bench.rows.append(row)
        print(f"{row['label']:<62} median {row['median']:8.1f}  p95 {row['p95']:8.1f} ms   {row['note']}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)


# -- results, table and chart -----------------------------------------------------------------------


def save(bench: Bench, load_seconds: float | None) -> None:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{bench.scale}.json"
    previous = json.loads(path.read_text()) if path.exists() else {}
    data = {
        "scale": bench.scale,
        "date": datetime.date.today().isoformat(),
        # the load average says how shared the machine was while measuring
        "machine": f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, Python {platform.python_version()}",
        "load_seconds": round(load_seconds, 1) if load_seconds else previous.get("load_seconds"),
        "rows": bench.rows,
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def _fmt(value) -> str:
    return "—" if value is None else f"{value:,.1f}"


def write_docs() -> None:
    results = {
        s: json.loads((RESULTS / f"{s}.json").read_text())
        for s in ("tiny", "county", "city")
        if (RESULTS / f"{s}.json").exists()
    }
    lines = [
        BEGIN,
        "",
        "| operation | target (ms) | median (ms) | p95 (ms) | floor (ms) | scale | machine | date |",
        "|---|---:|---:|---:|---:|---|---|---|",
    ]
    for scale, data in results.items():
        for row in data["rows"]:
            if row.get("skipped"):
                lines.append(
                    f"| {row['label']} | {_fmt(row['target'])} | {row['skipped']} | | | {scale} | | {data['date']} |"
                )
                continue
            floor = f"{_fmt(row['floor'])} ({row['floor_label']})" if row.get("floor") is not None else "—"
            note = f" — {row['note']}" if row.get("note") else ""
            lines.append(
                f"| {row['label']}{note} | {_fmt(row['target'])} | {_fmt(row['median'])} | {_fmt(row['p95'])} | "
                f"{floor} | {scale} | {data['machine']} | {data['date']} |"
            )
    if "county" in results and "city" not in results:
        caption = (
            "City (estimated from county, not measured; a county-wide operation covers one county, which at "
            "city scale is the size of `county`, so it stays flat; city-wide ones are scaled by 8):"
        )
        lines += ["", caption, ""]
        lines += ["| operation | grows with | city estimate, median (ms) |", "|---|---|---:|"]
        for row in results["county"]["rows"]:
            if not row.get("skipped"):
                factor = CITY_FACTOR[row["grows"]]
                lines.append(f"| {row['label']} | {row['grows']} | {_fmt(row['median'] * factor)} |")
    lines += ["", "![latency against data size](benchmarks/latency.png)", "", END]
    text = DOC.read_text()
    block = "\n".join(lines)
    if BEGIN in text:
        text = text.split(BEGIN)[0] + block + text.split(END, 1)[1]
    else:
        text += "\n" + block + "\n"
    DOC.write_text(text)
    chart(results)


def chart(results: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from core.scale import SCALES

    sizes = {s: SCALES[s].members for s in SCALES}
    fig, ax = plt.subplots(figsize=(8, 5))
    keys = [r["key"] for r in results.get("county", {}).get("rows", []) if not r.get("skipped")]
    for key in keys:
        xs, ys, label, grows = [], [], key, "flat"
        for scale, data in results.items():
            row = next((r for r in data["rows"] if r["key"] == key and not r.get("skipped")), None)
            if row:
                xs.append(sizes[scale])
                ys.append(row["median"])
                label, grows = row["label"], row["grows"]
        (line,) = ax.plot(xs, ys, marker="o", label=label)
        if "city" not in results and "county" in results:
            county = next(r for r in results["county"]["rows"] if r["key"] == key)
            ax.plot(
                [sizes["county"], sizes["city"]],
                [county["median"], county["median"] * CITY_FACTOR[grows]],
                linestyle="--",
                color=line.get_color(),
            )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("members in the database (tiny / county / city; dashed: city estimated)")
    ax.set_ylabel("median latency (ms)")
    ax.legend(fontsize=7, loc="upper left")
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    RESULTS.mkdir(exist_ok=True)
    fig.savefig(RESULTS / "latency.png", dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["tiny", "county", "city"], default="county")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--http-seconds", type=float, default=20, help="0 skips the concurrent HTTP benchmark")
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--docs-only", action="store_true", help="only rebuild the table and chart")
    args = parser.parse_args()

    import django

    django.setup()
    if not args.docs_only:
        load = ensure_scale(args.scale, args.seed)
        bench = run_benchmarks(args.scale, args.runs, args.http_seconds)
        save(bench, load)
    if args.write_docs or args.docs_only:
        write_docs()


if __name__ == "__main__":
    main()
