"""Case pages and API under load, on T1 data, through a real server (printed figures, not a test).

    python -m bench.cases_load [--db sqlite|postgres] [--cases 1000000] [--rate 50]
                               [--seconds 60] [--drain 60] [--workers 3] [--threads 1]
                               [--clients 8] [--saturation-seconds 20]
                               [--only queries,load,saturation]
                               [--conn-max-age N] [--proposed-indexes]

On a fresh database (bench/_setup.py) holding the T1 county (bench/cases_data.py: 1,000,000
decided cases), this process:

(a) counts the SQL queries of one list request, in-process (django.test.Client, the whole
    middleware stack, CaptureQueriesContext), for page sizes 10 and 50 and for the first and
    a deep page, on the list page and on the API: the count must not grow with the page;
(b0) starts gunicorn (``config.wsgi``, the bench settings, sync workers) on loopback against
    that database; a second process logs in through the login form (8 sessions), takes a
    bearer token for the API, warms every worker up, then times each kind of request alone
    (one client, no queue): what the mix costs, hence the rate the cores could sustain;
(b) from that second process, a constant 50 requests/s open loop for 60 s (latency counted
    from the scheduled start, so a slow server is not hidden by a client that waits — wrk2's
    coordinated omission): 80 % reads of one case (API ``/api/v1/cases/{id}`` with the token,
    page ``/cases/{id}/`` with a session), 15 % list pages with filters (``/cases/?page=N``,
    ``/api/v1/cases?offset=…``), 5 % writes (``POST /api/v1/cases``: a new 案源 with a fresh
    idempotency key, through ``services.receive_lead``). Requests still unanswered --drain
    seconds after the last was due count as errors. Prints p50/p95/p99, errors and the server
    log's "database is locked" lines; targets p95 ≤ 100 ms, p99 ≤ 300 ms, 0 errors (G8);
(c) saturation throughput, closed loop (N clients, each sending its next request as soon as
    the last one answered, 20 s) of the case list page and of the login page (GET; the app
    has no health check) in the same server, and their ratio; target ≥ 300 req/s (G8).

Experiments, off by default: ``--conn-max-age`` runs the server with another CONN_MAX_AGE
(the project's SQLite setting is 0: a new connection per request), ``--proposed-indexes``
adds the index of `cases_data.PROPOSED_INDEXES`.

The load generator and the server share the machine's cores (2 on the standard machine), so
the figures are pessimistic, as in PERF-SECURITY §2.3.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.cases_data import County

TARGET_P95_MS = 100.0
TARGET_P99_MS = 300.0
TARGET_SATURATION = 300  # req/s, PERF-SECURITY G8
REPO = Path(__file__).resolve().parent.parent
PASSWORD_ENV = "FAZHI_BENCH_PASSWORD"

# The request mix of (b): kind → share.
MIX = (
    ("detail_api", 0.40),
    ("detail_page", 0.40),
    ("list_page", 0.075),
    ("list_api", 0.075),
    ("create_api", 0.05),
)
# Filters of the list requests (the list page's form fields; the API's query parameters).
LIST_FILTERS: tuple[dict[str, str], ...] = (
    {},
    {"status": "archived"},
    {"procedure": "summary"},
    {"lenient": "1"},
    {"year": "YEAR"},
    {"year": "YEAR", "status": "closed"},
)
MAX_PAGE = 20


def _line(text: str = "") -> None:
    print(text, flush=True)


def _verdict(ok: bool) -> str:
    return "达标" if ok else "未达标"


def _pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of the values, in the values' unit."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


# =============================================================================================
# The load generator: a second process (``--drive``), HTTP only, no Django.
# =============================================================================================


def _session_login(base: str, username: str, password: str) -> Any:
    """A requests.Session logged in through the login form (GET for the CSRF token, POST)."""
    import requests

    s = requests.Session()
    r = s.get(f"{base}/login/", timeout=30)
    r.raise_for_status()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', r.text)
    if match is None:
        raise SystemExit("登录页没有 CSRF 令牌")
    r = s.post(
        f"{base}/login/",
        data={
            "csrfmiddlewaretoken": match.group(1),
            "username": username,
            "password": password,
            "otp_token": "",
        },
        headers={"Referer": f"{base}/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if r.status_code != 302 or "sessionid" not in s.cookies:
        raise SystemExit(f"登录失败：HTTP {r.status_code}")
    return s


class _Client:
    """One thread's HTTP client: a bearer token for the API, a logged-in session for pages."""

    def __init__(self, cfg: dict[str, Any], cookies: dict[str, str]) -> None:
        import requests

        self.base = cfg["base"]
        self.http = requests.Session()
        self.http.cookies.update(cookies)
        self.api_headers = {"Authorization": f"Bearer {cfg['token']}"}

    def request(self, kind: str, arg: Any) -> int:
        base, http = self.base, self.http
        if kind == "detail_api":
            r = http.get(f"{base}/api/v1/cases/{arg}", headers=self.api_headers, timeout=30)
        elif kind == "detail_page":
            r = http.get(f"{base}/cases/{arg}/", timeout=30, allow_redirects=False)
        elif kind == "list_page":
            r = http.get(f"{base}/cases/", params=arg, timeout=30, allow_redirects=False)
        elif kind == "list_api":
            r = http.get(f"{base}/api/v1/cases", params=arg, headers=self.api_headers, timeout=30)
        elif kind == "create_api":
            headers = {**self.api_headers, "Idempotency-Key": arg["idempotency_key"]}
            r = http.post(f"{base}/api/v1/cases", json=arg, headers=headers, timeout=30)
        elif kind == "get":
            r = http.get(f"{base}{arg}", timeout=30, allow_redirects=False)
        else:
            raise ValueError(kind)
        r.content  # noqa: B018 - read the whole body: the latency includes it
        return int(r.status_code)


_EXPECTED = {"create_api": 201}


def _plan(cfg: dict[str, Any], n: int) -> list[tuple[str, Any]]:
    """The n requests of the open-loop run, drawn from MIX with a fixed seed."""
    rng = random.Random(cfg["seed"])
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    ids, years = cfg["case_ids"], cfg["years"]
    plan: list[tuple[str, Any]] = []
    for _ in range(n):
        kind = rng.choices(kinds, weights)[0]
        arg: Any
        if kind in ("detail_api", "detail_page"):
            arg = rng.choice(ids)
        elif kind in ("list_page", "list_api"):
            page = rng.randint(1, MAX_PAGE)
            filters = {
                k: (str(rng.choice(years)) if v == "YEAR" else v)
                for k, v in rng.choice(LIST_FILTERS).items()
            }
            if kind == "list_page":
                arg = {**filters, "page": str(page)}
            else:
                if filters.get("lenient"):
                    filters["lenient"] = "true"
                arg = {**filters, "limit": "50", "offset": str((page - 1) * 50)}
        else:
            arg = {**cfg["create"], "idempotency_key": f"bench-{uuid.uuid4().hex}"}
            arg["parties"] = [
                {
                    **cfg["create"]["parties"][0],
                    "name": f"基准测试商贸有限公司{rng.randrange(10**6)}",
                }
            ]
        plan.append((kind, arg))
    return plan


def _warm_up(cfg: dict[str, Any], cookies: list[dict[str, str]]) -> None:
    """Before measuring: every worker's first request (URLs, the API schema, templates) and
    the database's cache, with a few requests of each kind from several clients at once."""
    plan = [p for p in _plan({**cfg, "seed": cfg["seed"] + 1}, 60) if p[0] != "create_api"]

    def run(i: int) -> None:
        c = _Client(cfg, cookies[i % len(cookies)])
        c.request("get", "/login/")
        for kind, arg in plan[i::6]:
            try:
                c.request(kind, arg)
            except Exception:  # noqa: S112 - warm-up only; the measured run reports errors
                continue

    threads = [threading.Thread(target=run, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _service_times(cfg: dict[str, Any], cookies: list[dict[str, str]]) -> dict[str, Any]:
    """One client, one request at a time: what each kind costs the server alone (no queue),
    hence the mix's mean cost and the rate the machine's cores could sustain at best."""
    c = _Client(cfg, cookies[0])
    plan = _plan({**cfg, "seed": cfg["seed"] + 2}, 400)
    per_kind: dict[str, list[float]] = {}
    statuses: dict[str, set[int]] = {}
    for kind, arg in plan:
        times = per_kind.setdefault(kind, [])
        if len(times) >= (5 if kind == "create_api" else 15):
            continue
        t = time.perf_counter()
        statuses.setdefault(kind, set()).add(c.request(kind, arg))
        times.append((time.perf_counter() - t) * 1e3)
    medians = {k: _pct(v, 50) for k, v in per_kind.items()}
    mean = sum(medians[k] * w for k, w in MIX if k in medians)
    return {
        "median_ms": medians,
        "statuses": {k: sorted(v) for k, v in statuses.items()},
        "mix_mean_ms": mean,
    }


def _open_loop(cfg: dict[str, Any], cookies: list[dict[str, str]]) -> dict[str, Any]:
    """Send cfg['rate'] requests/s for cfg['seconds'] on a fixed schedule; each latency runs
    from the request's scheduled start, not from when a free thread sent it. Requests still
    unanswered cfg['drain'] seconds after the last one was due count as errors, with the
    time they had waited as their (lower-bound) latency."""
    rate, seconds = cfg["rate"], cfg["seconds"]
    n = int(rate * seconds)
    plan = _plan(cfg, n)
    lock = threading.Lock()
    results: list[tuple[str, float, int, str]] = []
    pending: dict[int, tuple[str, float]] = {}
    work: queue.Queue[tuple[int, str, Any, float]] = queue.Queue()

    def worker(i: int) -> None:
        c = _Client(cfg, cookies[i % len(cookies)])
        while True:
            key, kind, arg, scheduled = work.get()
            error = ""
            try:
                status = c.request(kind, arg)
                if status != _EXPECTED.get(kind, 200):
                    error = f"HTTP {status}"
            except Exception as exc:  # a timeout or a reset connection is an error of the run
                status, error = 0, f"{type(exc).__name__}: {exc}"[:200]
            end = time.perf_counter()
            with lock:
                if pending.pop(key, None) is not None:
                    results.append((kind, end - scheduled, status, error))

    for i in range(cfg["max_in_flight"]):  # daemon threads: a hung request cannot hang the run
        threading.Thread(target=worker, args=(i,), daemon=True).start()
    t0 = time.perf_counter() + 0.2
    late = 0.0
    for i, (kind, arg) in enumerate(plan):
        scheduled = t0 + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        else:
            late = max(late, -delay)
        with lock:
            pending[i] = (kind, scheduled)
        work.put((i, kind, arg, scheduled))
    deadline = time.perf_counter() + cfg["drain"]
    while time.perf_counter() < deadline:
        with lock:
            if not pending:
                break
        time.sleep(0.05)
    cut = time.perf_counter()
    with lock:
        unfinished = list(pending.values())
        pending.clear()
        for kind, scheduled in unfinished:
            results.append((kind, cut - scheduled, 0, f"未在 {cfg['drain']:g} 秒内完成"))
        done = list(results)
    elapsed = cut - t0
    by_kind: dict[str, list[float]] = {}
    for kind, latency, _status, _error in done:
        by_kind.setdefault(kind, []).append(latency * 1e3)
    errors = [(k, e) for k, _l, _st, e in done if e]
    every = [r[1] * 1e3 for r in done]
    return {
        "sent": n,
        "elapsed": elapsed,
        "achieved_rate": n / elapsed,
        "max_send_lag_ms": late * 1e3,
        "unfinished": len(unfinished),
        "completed": n - len(unfinished),
        "p50": _pct(every, 50),
        "p95": _pct(every, 95),
        "p99": _pct(every, 99),
        "max": max(every) if every else float("nan"),
        "kinds": {
            k: {"n": len(v), "p50": _pct(v, 50), "p95": _pct(v, 95), "p99": _pct(v, 99)}
            for k, v in sorted(by_kind.items())
        },
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
    }


def _closed_loop(cfg: dict[str, Any], cookies: list[dict[str, str]], path: str) -> dict[str, Any]:
    """cfg['clients'] clients, each sending its next request as soon as the last answered,
    for cfg['saturation_seconds']; throughput = answers / time until the last one came."""
    clients, seconds = cfg["clients"], cfg["saturation_seconds"]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    pool = [_Client(cfg, cookies[i % len(cookies)]) for i in range(clients)]
    for c in pool[: cfg["workers"]]:  # warm: each server worker's first render of the page
        with contextlib.suppress(Exception):
            c.request("get", path)

    def loop(i: int) -> None:
        c, mine = pool[i], latencies[i]
        while (t := time.perf_counter()) < deadline:
            try:
                if c.request("get", path) != 200:
                    errors[i] += 1
            except Exception:  # a timeout or a reset connection counts as an error
                errors[i] += 1
            mine.append((time.perf_counter() - t) * 1e3)

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    deadline = t0 + seconds
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    every = [x for xs in latencies for x in xs]
    return {
        "path": path,
        "requests": len(every),
        "rps": len(every) / elapsed,
        "p50": _pct(every, 50),
        "p99": _pct(every, 99),
        "errors": sum(errors),
    }


def _settle(cfg: dict[str, Any], limit: float = 180.0) -> None:
    """Wait until the server has worked off what an overloaded run left queued (the login
    page answers within half a second), so that it does not slow the next measurement."""
    import requests

    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        t = time.perf_counter()
        with contextlib.suppress(requests.RequestException):
            requests.get(f"{cfg['base']}/login/", timeout=limit)
        if time.perf_counter() - t < 0.5:
            return
        time.sleep(1)


def drive(cfg: dict[str, Any]) -> dict[str, Any]:
    """The second process: log in, then the open-loop run and/or the saturation runs."""
    password = os.environ[PASSWORD_ENV]
    sessions = [
        _session_login(cfg["base"], cfg["username"], password) for _ in range(cfg["sessions"])
    ]
    cookies = [dict(s.cookies) for s in sessions]
    out: dict[str, Any] = {}
    _warm_up(cfg, cookies)
    if cfg["load"]:
        out["service"] = _service_times(cfg, cookies)
        out["load"] = _open_loop(cfg, cookies)
        _settle(cfg)
    if cfg["saturation"]:
        out["saturation"] = [_closed_loop(cfg, cookies, p) for p in cfg["saturation_paths"]]
    return out


# =============================================================================================
# The benchmark process: data, in-process query counts, the server, the report.
# =============================================================================================


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def count_queries(county: County) -> list[tuple[str, int, int, int]]:
    """(a): (what, page size, page number, SQL queries) of whole requests, in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from fazhi.cases.models import PenaltyCase
    from fazhi.cases.views import _common

    client = Client()
    client.force_login(county.officer)
    token = _issue_token(county, "查询计数")
    out: list[tuple[str, int, int, int]] = []
    year = county.years[-2]
    in_scope = PenaltyCase.objects.filter(
        organization=county.department_a, received_on__year=year
    ).count()
    saved = _common.PAGE_SIZE
    # The session's first request stores its login and last-seen times (writes); later ones
    # within the minute only read it (fazhi.core.middleware). Count steady requests.
    client.get("/cases/")
    try:
        for size in (10, 50):
            _common.PAGE_SIZE = size  # the page's fixed size, changed only for this count
            for page in (1, max(2, in_scope // size // 2)):
                with CaptureQueriesContext(connection) as ctx:
                    r = client.get("/cases/", {"page": page, "year": year})
                assert r.status_code == 200, r.status_code
                out.append(("案件列表页 /cases/", size, page, len(ctx.captured_queries)))
        for size in (10, 50):
            for page in (1, max(2, in_scope // size // 2)):
                params = {"limit": size, "offset": (page - 1) * size, "year": year}
                with CaptureQueriesContext(connection) as ctx:
                    r = client.get(
                        "/api/v1/cases", params, headers={"Authorization": f"Bearer {token}"}
                    )
                assert r.status_code == 200, r.status_code
                assert len(r.json()["items"]) == size
                out.append(("接口 GET /api/v1/cases", size, page, len(ctx.captured_queries)))
    finally:
        _common.PAGE_SIZE = saved
    return out


def _issue_token(county: County, name: str) -> str:
    from fazhi.core import services

    return services.issue_api_token(actor=county.officer, name=name, expires_in_days=7).secret


def _server_settings(tmp: Path, conn_max_age: int | None) -> str:
    """A settings module for the server: the bench settings (config.settings.test), with the
    ledger key and the attachments of this process (test settings make a new temporary
    directory in every process that imports them) and, as an experiment, another
    CONN_MAX_AGE."""
    from django.conf import settings

    module = "bench_server_settings"
    text = (
        "from pathlib import Path\n"
        "from config.settings.test import *  # noqa: F403\n"
        "from config.settings.test import DATABASES\n"
        f"FAZHI_LEDGER_KEY_FILE = Path({str(settings.FAZHI_LEDGER_KEY_FILE)!r})\n"
        f"FAZHI_ATTACHMENT_DIR = Path({str(settings.FAZHI_ATTACHMENT_DIR)!r})\n"
    )
    if conn_max_age is not None:
        text += f'DATABASES["default"]["CONN_MAX_AGE"] = {conn_max_age}\n'
    (tmp / f"{module}.py").write_text(text, encoding="utf-8")
    return module


class Server:
    """gunicorn serving config.wsgi on loopback; stopped by its own pid."""

    def __init__(self, tmp: Path, workers: int, threads: int, conn_max_age: int | None) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tmp / "gunicorn.log"
        server_tmp = tmp / "server-tmp"
        server_tmp.mkdir(exist_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": _server_settings(tmp, conn_max_age),
            "PYTHONPATH": os.pathsep.join([str(tmp), str(REPO)]),
            "TMPDIR": str(server_tmp),
        }
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "120",
            "--error-logfile",
            str(self.log),
            "--capture-output",
        ]
        self.proc = subprocess.Popen(cmd, cwd=REPO, env=env)  # noqa: S603 - our own command
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self) -> None:
        import requests

        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn 启动失败，见 {self.log}:\n{self.log.read_text()}")
            try:
                if requests.get(f"{self.base}/login/", timeout=30).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or still booting
                pass
            time.sleep(0.3)
        raise SystemExit("gunicorn 60 秒内没有就绪")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def first_errors(self, limit: int = 3) -> list[str]:
        """The last line of each distinct traceback in the server log (the exception)."""
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        seen: list[str] = []
        for block in text.split("Traceback (most recent call last):")[1:]:
            lines = [ln for ln in block.splitlines() if ln.strip()]
            last = next((ln for ln in lines if not ln.startswith((" ", "\t"))), "")
            if last and last[:160] not in seen:
                seen.append(last[:160])
            if len(seen) >= limit:
                break
        return seen

    def log_counts(self) -> dict[str, int]:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return {
            "database is locked": text.count("database is locked"),
            "Traceback": text.count("Traceback"),
            "Internal Server Error": text.count("Internal Server Error"),
            "WORKER TIMEOUT": text.count("WORKER TIMEOUT"),
        }


def _driver_config(county: County, server: Server, args: argparse.Namespace) -> dict[str, Any]:
    from fazhi.cases.models import PenaltyCase
    from fazhi.catalog.testing import credit_code

    ids = list(
        PenaltyCase.objects.filter(organization=county.department_a).values_list("pk", flat=True)
    )
    rng = random.Random(7)
    sample = rng.sample(ids, min(len(ids), 50_000))
    today = time.strftime("%Y-%m-%d")
    act = time.strftime("%Y-%m-%d", time.localtime(time.time() - 20 * 86400))
    found = time.strftime("%Y-%m-%d", time.localtime(time.time() - 86400))
    officers = county.officers["a"]
    return {
        "base": server.base,
        "username": county.officer.username,
        "token": _issue_token(county, "负载测试"),
        "sessions": 8,
        "seed": 2024,
        "max_in_flight": 256,
        "drain": args.drain,
        "rate": args.rate,
        "seconds": args.seconds,
        "clients": args.clients,
        "workers": args.workers,
        "saturation_seconds": args.saturation_seconds,
        "saturation_paths": ["/cases/", "/login/"],
        "case_ids": sample,
        "years": county.years,
        "load": "load" in args.only,
        "saturation": "saturation" in args.only,
        "create": {
            "item_code": county.cc.catalog.item_a.code,
            "title": "未按规定公示年度报告",
            "source": "inspection",
            "act_date": act,
            "discovered_date": found,
            "on": today,
            "parties": [
                {
                    "kind": "organization",
                    "name": "基准测试商贸有限公司",
                    "id_number": credit_code(777),
                    "legal_representative": "王某某",
                    "address": "吉林省辽源市东辽县白泉镇1号",
                }
            ],
            "officers": [o.certificate_number for o in officers[:2]],
            "facts_text": "经查，当事人未按规定公示年度报告。",
        },
    }


def _run_driver(cfg: dict[str, Any]) -> dict[str, Any]:
    from fazhi.core.testing import TEST_PASSWORD

    env = {**os.environ, PASSWORD_ENV: TEST_PASSWORD}
    proc = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "bench.cases_load", "--drive"],
        input=json.dumps(cfg),
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"负载进程失败：\n{proc.stderr[-3000:]}")
    return dict(json.loads(proc.stdout))


def _written(before: int) -> tuple[int, int]:
    """Cases registered by the run's POSTs, and how many of them have their ledger step."""
    from fazhi.cases.models import CaseStep, PenaltyCase

    made = PenaltyCase.objects.filter(pk__gt=before, idempotency_key__startswith="bench-")
    steps = CaseStep.objects.filter(case__in=made, action="receive_lead", ledger_seq__gt=0)
    return made.count(), steps.count()


_LABELS = {
    "detail_api": "读：GET /api/v1/cases/{id}",
    "detail_page": "读：GET /cases/{id}/",
    "list_page": "列表：GET /cases/?page=N&…",
    "list_api": "列表：GET /api/v1/cases?offset=…",
    "create_api": "写：POST /api/v1/cases",
}


def _report_service(r: dict[str, Any], workers: int) -> None:
    cores = os.cpu_count() or 1
    _line("\n## (b0) 单个请求的服务时间（一个客户端顺序发送，无排队；读 15 次、写 5 次的中位数）")
    for kind, _w in MIX:
        if kind in r["median_ms"]:
            codes = "、".join(str(c) for c in r["statuses"][kind])
            _line(f"  {_LABELS[kind]:<34} {r['median_ms'][kind]:8.1f} ms（HTTP {codes}）")
    mean = r["mix_mean_ms"]
    best = min(cores, workers) * 1000 / mean
    _line(
        f"按请求组合加权的平均服务时间 {mean:.1f} ms：{min(cores, workers)} 个核（工作进程）"
        f"全速时最多约 {best:.0f} 次/秒（负载生成器也占用同一台机器的核）"
    )


def _report_load(
    r: dict[str, Any], logs: dict[str, int], server_errors: list[str], written: tuple[int, int]
) -> None:
    _line(
        f"按计划发送 {r['sent']:,} 个请求（调度最大滞后 {r['max_send_lag_ms']:.1f} ms）；"
        f"到截止时完成 {r['completed']:,} 个，用时 {r['elapsed']:.1f} 秒"
        f"（完成 {r['completed'] / r['elapsed']:.1f} 次/秒）"
    )
    labels = _LABELS
    for kind, k in r["kinds"].items():
        _line(
            f"  {labels.get(kind, kind):<34} {k['n']:>5} 次  p50 {k['p50']:7.1f} ms  "
            f"p95 {k['p95']:7.1f} ms  p99 {k['p99']:7.1f} ms"
        )
    ok95, ok99, ok_err = r["p95"] <= TARGET_P95_MS, r["p99"] <= TARGET_P99_MS, r["errors"] == 0
    locked = logs["database is locked"]
    _line(
        f"全部：p50 {r['p50']:.1f} ms，p95 {r['p95']:.1f} ms（目标 ≤ {TARGET_P95_MS:.0f}，"
        f"比值 {r['p95'] / TARGET_P95_MS:.2f}，{_verdict(ok95)}），p99 {r['p99']:.1f} ms"
        f"（目标 ≤ {TARGET_P99_MS:.0f}，比值 {r['p99'] / TARGET_P99_MS:.2f}，{_verdict(ok99)}），"
        f"最大 {r['max']:.0f} ms"
    )
    _line(
        f"错误：{r['errors']} 个（目标 0，{_verdict(ok_err)}）；服务器日志："
        f"“database is locked” {locked} 处，Traceback {logs['Traceback']} 处，"
        f"WORKER TIMEOUT {logs['WORKER TIMEOUT']} 处"
    )
    if r["unfinished"]:
        _line(f"  其中 {r['unfinished']} 个请求在发送结束后的等待时间内没有完成（计为错误）")
    for kind, error in r["error_samples"]:
        _line(f"  错误示例：{kind} {error}")
    for exc in server_errors:
        _line(f"  服务器日志中的异常：{exc}")
    _line(
        f"写入核对：登记案件 {written[0]} 件（含 (b0) 的 5 件），"
        f"其中 {written[1]} 件有登记环节及日志序号"
    )


def main(argv: list[str] | None = None) -> int:
    if argv is None and sys.argv[1:] == ["--drive"]:
        json.dump(drive(json.load(sys.stdin)), sys.stdout)
        return 0
    from bench import cases_data

    parser = argparse.ArgumentParser(
        prog="python -m bench.cases_load", description="案件页面与接口负载基准"
    )
    cases_data.add_arguments(parser)
    parser.add_argument("--rate", type=float, default=50.0, help="开环负载：每秒请求数")
    parser.add_argument("--seconds", type=float, default=60.0, help="开环负载持续秒数")
    parser.add_argument(
        "--drain", type=float, default=60.0, help="最后一个请求之后等待未完成请求的秒数"
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn 工作进程数")
    parser.add_argument("--threads", type=int, default=1, help="每个工作进程的线程数")
    parser.add_argument("--clients", type=int, default=8, help="饱和测试的并发客户端数")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=None,
        help="实验：服务器的 CONN_MAX_AGE（默认沿用项目设置：SQLite 0，PostgreSQL 600）",
    )
    parser.add_argument("--saturation-seconds", type=float, default=20.0)
    parser.add_argument("--only", default="queries,load,saturation")
    args = parser.parse_args(argv)
    args.only = set(args.only.split(","))

    cleanup = cases_data.configure(args.db, "cases_load")
    server: Server | None = None
    try:
        from django.db import connections

        county = cases_data.prepare(args)
        _line(
            f"# 案件负载基准（{cases_data.data_line(args, county)}）；{cases_data.load_line()}；"
            f"gunicorn {args.workers} 个工作进程 × {args.threads} 线程"
            + (f"；实验：CONN_MAX_AGE={args.conn_max_age}" if args.conn_max_age is not None else "")
        )
        if "queries" in args.only:
            _line("\n## (a) 每个列表请求的 SQL 查询数（进程内，含会话与认证）")
            counts = count_queries(county)
            for what, size, page, n in counts:
                _line(f"{what}：每页 {size} 条，第 {page} 页：{n} 个查询")
            by_what: dict[str, set[int]] = {}
            for what, _size, _page, n in counts:
                by_what.setdefault(what, set()).add(n)
            for what, ns in by_what.items():
                _line(f"{what}：查询数{'恒定' if len(ns) == 1 else '随页大小或页码变化'}")
        if args.only & {"load", "saturation"}:
            from fazhi.cases.models import PenaltyCase

            before = int(PenaltyCase.objects.order_by("-pk").values_list("pk", flat=True)[0])
            tmp = Path(os.environ["FAZHI_VAR_DIR"])
            connections.close_all()  # the server's processes are the only users from now on
            server = Server(tmp, args.workers, args.threads, args.conn_max_age)
            cfg = _driver_config(county, server, args)
            connections.close_all()
            result = _run_driver(cfg)
            logs = server.log_counts()
            if "service" in result:
                _report_service(result["service"], args.workers)
            if "load" in result:
                _line(
                    f"\n## (b) 开环负载 {args.rate:g} 次/秒 × {args.seconds:g} 秒"
                    "（读 80%：接口与页面各半；列表 15%；写 5%）"
                )
                _report_load(result["load"], logs, server.first_errors(), _written(before))
            if "saturation" in result:
                _line(
                    f"\n## (c) 饱和吞吐（闭环，{args.clients} 个并发客户端，"
                    f"{args.saturation_seconds:g} 秒）"
                )
                sat = {s["path"]: s for s in result["saturation"]}
                for path, s in sat.items():
                    _line(
                        f"GET {path}：{s['rps']:,.1f} 次/秒（{s['requests']:,} 次，"
                        f"p50 {s['p50']:.1f} ms，p99 {s['p99']:.1f} ms，错误 {s['errors']}）"
                    )
                lst, trivial = sat["/cases/"]["rps"], sat["/login/"]["rps"]
                _line(
                    f"比值 案件列表 / 登录页 = {lst / trivial:.2f}"
                    f"（登录页：应用中最简单的 Django 视图，作为同一服务器的上限参照）"
                )
                _line(
                    f"案件列表饱和吞吐目标 ≥ {TARGET_SATURATION:,} 次/秒（G8）：比值 "
                    f"{lst / TARGET_SATURATION:.2f}，{_verdict(lst >= TARGET_SATURATION)}"
                )
        # Figures, not a test: the verdicts are printed; a broken run raises.
        return 0
    finally:
        if server is not None:
            server.stop()
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
