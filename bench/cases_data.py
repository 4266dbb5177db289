"""T1 penalty cases for the case benchmarks: bulk-loaded, on a county built through the services.

    python -m bench.cases_data [--db sqlite|postgres] [--cases 1000000] [--batch 5000]
                               [--methods bulk_create,copy]

PERF-SECURITY §1.5 tier T1 stores 1,000,000 penalty decisions (10 years × 100 k/yr, 庆元-like).
The county itself — organizations, users with their roles, the catalog items, officers — is
built through the services (`fazhi.core.testing.build_cast`, `fazhi.cases.testing.
build_cases`, `catalog.services.create_officer`), so permissions, data scope and the ledger
are real. The decided cases on top of it (with one party and two officers each) are bench
data, not the demo: written in batches, without ledger entries or steps (those are
benchmarked by bench/ledger.py). Run alone, this loads them with each method and prints the
times:

* ``bulk_create``: the ORM's bulk insert (on SQLite Django caps one INSERT at 999 parameters,
  i.e. 16 cases, whatever the batch size);
* ``copy``: the same rows, each value adapted by its own field (``get_db_prep_save``), sent
  with ``executemany`` (SQLite) or ``COPY`` (PostgreSQL) under explicit primary keys; the
  sequences are moved past them afterwards. The other case benchmarks use it (faster).

The rows are shaped as the services would leave them: numbers in the form `_case_number`
gives (per organization and year, so the next case the service registers gets a free
number), decision numbers as `_document_number` gives, summary-procedure cases decided on
the spot (第五十一条), ordinary ones registered, notified, decided, served and paid in order,
about 5 % of them lenient (“四张清单”); 85 % in department A, whose officer is the user
of the load benchmark. The other benchmarks share the options (`add_arguments`), the loading
(`prepare`) and, on PostgreSQL, a database of their own name (`configure`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fazhi.cases.testing import CaseCast
    from fazhi.catalog.models import Officer
    from fazhi.core.models import Organization, User

T1_CASES = 1_000_000
YEARS = 10
DEFAULT_BATCH = 5000
# Share of the cases handled by department A (市场监管); the rest go to department B.
SHARE_A = 0.85
EXTRA_OFFICERS = {"a": 4, "b": 3}


@dataclass
class County:
    """What the case benchmarks need of the loaded county."""

    cc: CaseCast
    officers: dict[str, list[Officer]]
    cases: int = 0
    years: list[int] = field(default_factory=list)
    load_s: float = 0.0
    indexes: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def department_a(self) -> Organization:
        return self.cc.cast.department_a

    @property
    def officer(self) -> User:
        return self.cc.cast.officer


def build_county() -> County:
    """The small county, entirely through the services."""
    from fazhi.cases.testing import build_cases
    from fazhi.catalog import services as catalog_services
    from fazhi.core.testing import build_cast

    cast = build_cast()
    cc = build_cases(cast)
    officers: dict[str, list[Officer]] = {
        "a": [cc.catalog.officer_a, cc.second_officer],
        "b": [],
    }
    names = "孙刘吴郑冯陈褚卫"
    for dept, org in (("a", cast.department_a), ("b", cast.department_b)):
        for n in range(EXTRA_OFFICERS[dept]):
            officers[dept].append(
                catalog_services.create_officer(
                    actor=cast.rule_of_law_office,
                    organization=org,
                    name=f"{names[len(officers[dept]) + (4 if dept == 'b' else 0)]}执法{n + 1}",
                    certificate_number=f"2204{'1' if dept == 'a' else '2'}{n + 1:03d}",
                    issuing_authority="吉林省人民政府",
                    valid_from=dt.date(2015, 1, 1),
                    valid_until=dt.date(2030, 12, 31),
                    fields="市场监管" if dept == "a" else "生态环境",
                )
            )
    return County(cc=cc, officers=officers)


# --- the rows -------------------------------------------------------------------------------

_TITLES = (
    "未按规定公示年度报告",
    "销售过期食品",
    "未取得食品经营许可从事食品经营",
    "使用未经检定的计量器具",
    "发布虚假广告",
    "未明码标价",
    "销售不合格产品",
    "未按规定建立进货查验记录",
)
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_TOWNS = ("白泉镇", "渭津镇", "安石镇", "辽河源镇", "泉太镇", "建安镇", "凌云乡")
_SOURCES = ("inspection", "complaint", "hotline", "random_inspection", "referral", "other")
_DOC_PREFIX = {"a": "测市场", "b": "测生态"}


def _statuses(rng: random.Random, year: int, last_year: int) -> str:
    """Older years are archived; the current year still has cases being served and paid."""
    r = rng.random()
    if year < last_year:
        return "archived" if r < 0.93 else "closed" if r < 0.98 else "executed"
    return (
        "archived"
        if r < 0.45
        else "closed"
        if r < 0.65
        else "executed"
        if r < 0.80
        else "served"
        if r < 0.93
        else "decided"
    )


@dataclass
class _Ctx:
    rng: random.Random
    county: County
    last_year: int
    last_day: dt.date
    seq: dict[tuple[str, int], int] = field(default_factory=dict)
    docs: dict[tuple[str, int], int] = field(default_factory=dict)


@functools.cache
def _resident_id(n: int, year: int) -> str:
    from fazhi.cases.testing import resident_id

    return resident_id(n, birth=f"{year}0101")


@functools.cache
def _credit_code(n: int) -> str:
    from fazhi.catalog.testing import credit_code

    return credit_code(n)


Row = dict[str, Any]


def _case_row(ctx: _Ctx, year: int) -> tuple[Row, list[Row], list[int]]:
    """One decided case, its parties (without case) and its two officers' ids, as field
    values by attname: what both loading methods store."""
    rng, county = ctx.rng, ctx.county
    cast, catalog = county.cc.cast, county.cc.catalog
    dept = "a" if rng.random() < SHARE_A else "b"
    org = cast.department_a if dept == "a" else cast.department_b
    item = catalog.item_a if dept == "a" else catalog.item_b
    end = ctx.last_day if year == ctx.last_year else dt.date(year, 12, 31)
    start = dt.date(year, 1, 1)
    received = start + dt.timedelta(days=rng.randrange((end - start).days + 1))
    individual = rng.random() < 0.6
    summary = rng.random() < 0.6
    status = _statuses(rng, year, ctx.last_year)
    key = (org.code, year)
    ctx.seq[key] = n = ctx.seq.get(key, 0) + 1
    lenient = rng.random() < 0.05
    served: dt.date | None
    if summary:
        # 第五十一条: 当场处罚, up to 200 yuan for a citizen and 3,000 for an organization.
        fine = Decimal(rng.choice((50, 100, 200) if individual else (500, 1000, 2000, 3000)))
        registered = noticed = None
        decided = served = received
        method = "on_spot"
    else:
        fine = Decimal(rng.randrange(1, 100) * 1000)
        registered = received + dt.timedelta(days=rng.randint(0, 7))
        noticed = registered + dt.timedelta(days=rng.randint(10, 60))
        decided = noticed + dt.timedelta(days=rng.randint(5, 20))
        served = decided + dt.timedelta(days=rng.randint(0, 5))
        method = rng.choice(("direct", "direct", "post", "electronic"))
    if status == "decided":
        served = None
    paid = (
        served + dt.timedelta(days=rng.randint(1, 14))
        if served and status not in ("decided", "served")
        else None
    )
    closed = paid if status in ("closed", "archived") else None
    archived = (
        closed + dt.timedelta(days=rng.randint(1, 30)) if closed and status == "archived" else None
    )
    act = received - dt.timedelta(days=rng.randint(1, 90))
    surname = rng.choice(_SURNAMES)
    town = rng.choice(_TOWNS)
    title = rng.choice(_TITLES)
    case: Row = {
        "number": f"{org.code}-罚-{year}-{n:05d}",
        "organization_id": org.pk,
        "item_id": item.pk,
        "title": title,
        "source": rng.choice(_SOURCES),
        "procedure": "summary" if summary else "ordinary",
        "status": status,
        "facts_text": f"经查，当事人于{act:%Y年%m月%d日}{title}，违反了相关规定。",
        "act_date": act,
        "discovered_date": received,
        "received_on": received,
        "registered_on": registered,
        "noticed_on": noticed,
        "decided_on": decided,
        "served_on": served,
        "paid_on": paid,
        "closed_on": closed,
        "archived_on": archived,
        "lenient": lenient,
        "lenient_list_kinds": [rng.choice(("lighter", "reduced"))] if lenient else [],
        "baseline_fine": fine * 2 if lenient else None,
        "hearing_right": not summary and fine >= 10000,
        "legal_review_required": not summary and fine >= 50000,
        "proposed_types": [] if summary else ["fine"],
        "proposed_fine": None if summary else fine,
        "outcome": "penalty",
        "penalty_types": ["fine"] if rng.random() < 0.9 else ["warning"],
        "fine": fine,
        # The shape `_document_number` gives, numbered per organization and year.
        "decision_number": f"{_DOC_PREFIX[dept]}罚决〔{year}〕{n}号",
        "service_method": method if served else "",
        "service_recipient": f"{surname}某某" if served else "",
        "paid_amount": fine if paid else None,
        "created_by_id": (county.officer if dept == "a" else cast.other_officer).pk,
    }
    if individual:
        party: Row = {
            "kind": "individual",
            "name": f"{surname}{rng.choice('建国明华丽芳伟强军')}",
            "id_number": _resident_id(n % 1000, rng.randint(1960, 2000)),
            "phone": f"139{rng.randrange(10**8):08d}",
            "address": f"吉林省辽源市东辽县{town}{rng.randint(1, 30)}组{rng.randint(1, 99)}号",
        }
    else:
        party = {
            "kind": "organization",
            "name": f"测试县{town}{surname}氏商贸有限公司",
            "id_number": _credit_code(1000 + n % 50_000),
            "legal_representative": f"{surname}某某",
            "phone": f"138{rng.randrange(10**8):08d}",
            "address": f"吉林省辽源市东辽县{town}{rng.randint(1, 200)}号",
        }
    return case, [party], [o.pk for o in rng.sample(county.officers[dept], 2)]


METHODS = ("bulk_create", "copy")


def _next_id(model: Any) -> int:
    from django.db.models import Max

    return int(model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


class _Inserter:
    """Rows (dicts by attname, pk included) stored as ``bulk_create`` would store them —
    each value through its field's ``get_db_prep_save``, defaults from the field, both
    timestamps the time of the batch — without the ORM's per-row model instances and SQL
    compilation: ``executemany`` on SQLite, ``COPY`` on PostgreSQL."""

    PLAIN = (str, bool, int)

    def __init__(self, model: Any) -> None:
        from django.db import DEFAULT_DB_ALIAS, connections
        from django.db.models import JSONField

        # The wrapper itself, not the `django.db.connection` proxy (a thread-local lookup on
        # every attribute: a third of the time at a million rows).
        self.connection = connection = connections[DEFAULT_DB_ALIAS]
        self.fields = list(model._meta.concrete_fields)
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.stamped = [f.attname for f in self.fields if getattr(f, "auto_now_add", False)]
        self.stamped += [f.attname for f in self.fields if getattr(f, "auto_now", False)]
        # A str, bool, int or NULL is stored as it is (what get_db_prep_save returns for
        # them); JSON, dates, times and decimals go through the field.
        self.json = {f.attname for f in self.fields if isinstance(f, JSONField)}
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.cols = ", ".join(quote(f.column) for f in self.fields)

    def _value(self, f: Any, row: Row) -> Any:
        v = row[f.attname] if f.attname in row else self.defaults.get(f.attname)
        if (v is None or type(v) in self.PLAIN) and f.attname not in self.json:
            return v
        return f.get_db_prep_save(v, self.connection)

    def insert(self, rows: list[Row]) -> None:
        from django.utils import timezone

        if not rows:
            return
        now = timezone.now()
        for row in rows:
            for name in self.stamped:
                row[name] = now
        values = [tuple(self._value(f, row) for f in self.fields) for row in rows]
        with self.connection.cursor() as cur:
            if self.connection.vendor == "postgresql":
                with cur.cursor.copy(f"COPY {self.table} ({self.cols}) FROM STDIN") as copy:
                    for v in values:
                        copy.write_row(v)
                return
            marks = ", ".join(["%s"] * len(self.fields))
            cur.executemany(f"INSERT INTO {self.table} ({self.cols}) VALUES ({marks})", values)


def load(
    county: County,
    n: int,
    *,
    batch: int = DEFAULT_BATCH,
    method: str = "copy",
    seed: int = 2024,
) -> County:
    """Bulk-load ``n`` decided cases (YEARS years, the last one the current one) into the
    county; returns it with the load time and row counts.

    ``bulk_create``: the ORM's bulk insert (on SQLite Django caps one INSERT at 999
    parameters, i.e. 14 cases). ``copy``: the same rows and the same value adaptation, sent
    with ``executemany`` (SQLite) or ``COPY`` (PostgreSQL) and explicit primary keys.
    """
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from fazhi.cases.models import CaseOfficer, Party, PenaltyCase

    if method not in METHODS:
        raise SystemExit(f"未知装载方式：{method}（应为 {' 或 '.join(METHODS)}）")
    today = dt.date.today()
    years = list(range(today.year - YEARS + 1, today.year + 1))
    ctx = _Ctx(
        rng=random.Random(seed),
        county=county,
        last_year=years[-1],
        last_day=today - dt.timedelta(days=30),
    )
    per_year = [n // YEARS + (1 if i < n % YEARS else 0) for i in range(YEARS)]
    rows = {"cases": 0, "parties": 0, "case_officers": 0}
    ids = {m: _next_id(m) for m in (PenaltyCase, Party, CaseOfficer)}
    inserters = {m: _Inserter(m) for m in (PenaltyCase, Party, CaseOfficer)}
    started = time.perf_counter()
    for year, count in zip(years, per_year, strict=True):
        done = 0
        while done < count:
            size = min(batch, count - done)
            made = [_case_row(ctx, year) for _ in range(size)]
            cases, parties, assigned = [c for c, _, _ in made], [], []
            with transaction.atomic():
                if method == "bulk_create":
                    saved = PenaltyCase.objects.bulk_create(
                        [PenaltyCase(**c) for c in cases], batch_size=batch
                    )
                    case_ids = [c.pk for c in saved]
                else:
                    case_ids = list(range(ids[PenaltyCase], ids[PenaltyCase] + size))
                    ids[PenaltyCase] += size
                    for row, pk in zip(cases, case_ids, strict=True):
                        row["id"] = pk
                    inserters[PenaltyCase].insert(cases)
                for case_id, (_, case_parties, officers) in zip(case_ids, made, strict=True):
                    for order, party in enumerate(case_parties, start=1):
                        parties.append({**party, "case_id": case_id, "order": order})
                    for lead, officer_id in zip((True, False), officers, strict=True):
                        assigned.append(
                            {"case_id": case_id, "officer_id": officer_id, "lead": lead}
                        )
                if method == "bulk_create":
                    Party.objects.bulk_create([Party(**r) for r in parties], batch_size=batch)
                    CaseOfficer.objects.bulk_create(
                        [CaseOfficer(**r) for r in assigned], batch_size=batch
                    )
                    parties_and_officers: tuple[tuple[Any, list[Row]], ...] = ()
                else:
                    parties_and_officers = ((Party, parties), (CaseOfficer, assigned))
                for model, rows_ in parties_and_officers:
                    for row in rows_:
                        row["id"] = ids[model]
                        ids[model] += 1
                    inserters[model].insert(rows_)
            rows["cases"] += size
            rows["parties"] += len(parties)
            rows["case_officers"] += len(assigned)
            done += size
    with connection.cursor() as cur:
        if method == "copy":  # explicit keys: move the sequences past them (PostgreSQL)
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [PenaltyCase, Party, CaseOfficer]
            ):
                cur.execute(sql)
        if connection.vendor == "postgresql":
            # The state autovacuum keeps a live table in: fresh statistics and the visibility
            # map, without which a COUNT cannot be an index-only scan (0.75 s instead of 0.2 s
            # for the list's count at T1).
            cur.execute("VACUUM (ANALYZE) cases_penaltycase, cases_party, cases_caseofficer")
        else:
            cur.execute("ANALYZE")  # fresh statistics, as after a real import
    county.load_s = time.perf_counter() - started
    county.cases, county.years, county.rows = n, years, rows
    return county


def _rows_per_insert(batch: int) -> int:
    """How many cases Django really puts in one INSERT (SQLite caps it by its 999
    parameters: 999 // the number of columns)."""
    from django.db import connection

    from fazhi.cases.models import PenaltyCase

    fields = [f for f in PenaltyCase._meta.concrete_fields if not f.primary_key]
    return min(batch, connection.ops.bulk_batch_size(fields, [None] * batch))


def database_size() -> int:
    """Bytes the bench database uses (PostgreSQL: on disk; SQLite: pages in use)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_database_size(current_database())")
            return int(cur.fetchone()[0])
    with connection.cursor() as cur:  # the WAL's pages into the file, the WAL emptied
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cur.execute("PRAGMA page_count")
        pages = int(cur.fetchone()[0])
        cur.execute("PRAGMA freelist_count")
        free = int(cur.fetchone()[0])
        cur.execute("PRAGMA page_size")
        size = int(cur.fetchone()[0])
    return (pages - free) * size  # pages in use: free ones left by an earlier load excluded


# Not in the migrations: an index this benchmark found missing at T1, created only with
# --proposed-indexes to show its effect. (organization_id, received_on, id) serves the data
# scope in the list's order, the counts of a year's cases and `services._case_number`'s
# count of the organization's cases in the year, which every registration runs while it
# holds the organization's lock (and on SQLite the database's write lock).
PROPOSED_INDEXES = (
    ("bench_case_org_received", "cases_penaltycase", ("organization_id", "received_on", "id")),
)


def _existing_index_columns(table: str) -> list[tuple[str, ...]]:
    from django.db import connection

    with connection.cursor() as cur:
        found = connection.introspection.get_constraints(cur, table)
    return [tuple(c["columns"]) for c in found.values() if c["index"] or c["unique"]]


def add_proposed_indexes() -> list[str]:
    """Create the PROPOSED_INDEXES the schema does not have yet (same columns in the same
    order); refresh the statistics. Returns what was created and what was already there."""
    from django.db import connection

    done: list[str] = []
    with connection.cursor() as cur:
        for name, table, columns in PROPOSED_INDEXES:
            if columns in _existing_index_columns(table):
                done.append(f"{table}({', '.join(columns)}) 已在迁移中")
                continue
            t0 = time.perf_counter()
            cols = ", ".join(connection.ops.quote_name(c) for c in columns)
            cur.execute(f"CREATE INDEX {name} ON {table} ({cols})")
            done.append(f"{table}({', '.join(columns)}) {time.perf_counter() - t0:.1f} 秒")
        cur.execute("ANALYZE")
    return done


def configure(db: str, name: str) -> Callable[[], None]:
    """bench/_setup.py's fresh database; on PostgreSQL under this benchmark's own name, so
    that it never drops the database of another benchmark running at the same time."""
    from bench import _setup

    _setup.BENCH_PG_DB = f"fazhi_bench_{name}"
    return _setup.configure(db)


def clear_cases() -> None:
    """Remove the loaded cases (to load them again with another method)."""
    from django.db import connection, transaction

    from fazhi.cases.models import CaseOfficer, Party, PenaltyCase

    tables = [m._meta.db_table for m in (CaseOfficer, Party, PenaltyCase)]
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            for table in tables:
                cur.execute(f"DELETE FROM {table}")


def prepare(args: argparse.Namespace) -> County:
    """The county and its cases (the options of `add_arguments`), timed; the lines go to
    stderr, the caller prints `data_line` with its figures."""
    t0 = time.perf_counter()
    county = build_county()
    build_s = time.perf_counter() - t0
    if args.cases:
        load(county, args.cases, batch=args.batch, method=args.load_method)
    print(
        f"基准数据：县（经服务层构建）{build_s:.1f} 秒；{args.cases:,} 件已决定案件批量装载"
        f"（{args.load_method}）{county.load_s:.1f} 秒",
        file=sys.stderr,
        flush=True,
    )
    if args.proposed_indexes:
        county.indexes = add_proposed_indexes()
    return county


def data_line(args: argparse.Namespace, county: County) -> str:
    """What the figures below were measured on."""
    text = f"{args.db}，{args.cases:,} 件案件"
    if args.proposed_indexes:
        text += f"，实验：加上建议的索引 {'、'.join(county.indexes)}"
    return text


def add_arguments(parser: argparse.ArgumentParser, cases: int = T1_CASES) -> None:
    """The data options every case benchmark shares."""
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cases", type=int, default=cases, help="案件数（T1 为 1,000,000）")
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH, help="每批行数")
    parser.add_argument(
        "--load-method", choices=METHODS, default="copy", help="装载方式（默认 copy，较快）"
    )
    parser.add_argument(
        "--proposed-indexes",
        action="store_true",
        help="实验：装载后加上本基准建议的索引（迁移中没有），比较其效果",
    )


def load_line() -> str:
    load_avg = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} 核，负载 {load_avg}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.cases_data", description="T1 行政处罚案件基准数据批量装载"
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cases", type=int, default=T1_CASES, help="案件数（T1 为 1,000,000）")
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH, help="每批行数")
    parser.add_argument(
        "--methods",
        default=",".join(METHODS),
        help="依次比较的装载方式，逗号分隔（bulk_create,copy）",
    )
    args = parser.parse_args(argv)
    methods = [m for m in args.methods.split(",") if m]

    cleanup = configure(args.db, "cases_data")
    try:
        print(f"# T1 案件数据装载（{args.db}）；{load_line()}", flush=True)
        t0 = time.perf_counter()
        county = build_county()
        build_s = time.perf_counter() - t0
        print(f"县、用户、角色、执法事项、执法人员（经服务层）：{build_s:.1f} 秒", flush=True)
        times: dict[str, float] = {}
        for i, method in enumerate(methods):
            if i:
                clear_cases()
            load(county, args.cases, batch=args.batch, method=method)
            times[method] = county.load_s
            r = county.rows
            total = sum(r.values())
            how = (
                f"bulk_create 每批 {args.batch:,} 件，实际每条 INSERT "
                f"{_rows_per_insert(args.batch):,} 件"
                if method == "bulk_create"
                else f"每批 {args.batch:,} 件，"
                + ("COPY" if args.db == "postgres" else "executemany")
            )
            print(
                f"{method}：{r['cases']:,} 件案件 + {r['parties']:,} 个当事人 + "
                f"{r['case_officers']:,} 条办案人员（{county.years[0]}–{county.years[-1]} 年；"
                f"{how}）：{county.load_s:.1f} 秒，{r['cases'] / county.load_s:,.0f} 件/秒，"
                f"{total / county.load_s:,.0f} 行/秒",
                flush=True,
            )
        if len(times) == 2:
            print(f"比值 bulk_create / copy = {times['bulk_create'] / times['copy']:.1f}×")
        print(f"数据库大小：{database_size() / 2**20:,.0f} MiB")
        return 0
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
