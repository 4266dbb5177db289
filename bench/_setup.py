"""A throwaway database for benchmarks: never var/fazhi.sqlite3, never a real database.

SQLite: a file in a fresh temporary directory, with the project's own connection settings
(WAL, synchronous=FULL, BEGIN IMMEDIATE). PostgreSQL: a database `fazhi_bench` created
and dropped on the server named by BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

BENCH_PG_DB = "fazhi_bench"


def _pg_admin_url() -> str:
    return os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_with_db(_pg_admin_url(), "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def configure(db: str) -> Callable[[], None]:
    """Point Django at a fresh benchmark database, migrate it, return a cleanup function.

    Must run before anything imports Django models.
    """
    tmp = tempfile.mkdtemp(prefix="fazhi-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"  # DEBUG off, temp key dir
    os.environ["FAZHI_VAR_DIR"] = tmp
    if db == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    elif db == "postgres":
        _pg_admin(f"DROP DATABASE IF EXISTS {BENCH_PG_DB} WITH (FORCE)")
        _pg_admin(f"CREATE DATABASE {BENCH_PG_DB}")
        os.environ["DATABASE_URL"] = _with_db(_pg_admin_url(), BENCH_PG_DB)
    else:
        raise SystemExit(f"未知数据库：{db}（应为 sqlite 或 postgres）")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    def cleanup() -> None:
        from django.db import connections

        connections.close_all()
        if db == "postgres":
            _pg_admin(f"DROP DATABASE IF EXISTS {BENCH_PG_DB} WITH (FORCE)")
        shutil.rmtree(tmp, ignore_errors=True)

    return cleanup
