"""G9: a writer killed with SIGKILL loses no acknowledged ledger entry (PERF-SECURITY §2.5).

A child process appends through `services.record()`, one entry per transaction, and
prints each seq only after its commit returned. The test kills it at a random moment,
30 times, and after every kill checks the SQLite file: `PRAGMA integrity_check` is ok,
every acknowledged seq is there, and `verify_ledger` passes.

To keep 30 rounds quick, Django starts once in a "zygote" process which forks a fresh
writer per round (the zygote never opens the database, so no connection crosses a fork).
"""

from __future__ import annotations

import os
import queue
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings as django_settings
from django.db import connections
from django.db.utils import load_backend

from fazhi.ledger.integrity import verify_ledger

ROUNDS = 30
TOKEN = re.compile(r"(ready|ack|pid|reaped) ?(\d*)")

ZYGOTE = r"""
import os, sys
from pathlib import Path

os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["DATABASE_URL"] = "sqlite:///" + os.environ["CRASH_DB"]
import django

django.setup()
from django.conf import settings

settings.FAZHI_LEDGER_KEY_FILE = Path(os.environ["CRASH_KEY_FILE"])
from django.core.management import call_command
from django.db import connections, transaction

call_command("migrate", verbosity=0)
connections.close_all()
from fazhi.ledger import services

print("ready", flush=True)
for line in sys.stdin:
    command = line.split()
    if not command or command[0] != "run":
        break
    pid = os.fork()
    if pid == 0:  # the writer
        try:
            settings.FAZHI_LEDGER_CHECKPOINT_SECONDS = int(command[1])
            n = 0
            while True:
                with transaction.atomic():
                    entry = services.record(
                        stream="crash.test", kind="crash.appended", actor=None,
                        payload={"writer": os.getpid(), "n": n},
                    )
                # Committed (and, with interval 0, checkpointed): only now acknowledge,
                # in one write so that a kill never leaves half a line.
                sys.stdout.write(f"ack {entry.seq}\n")
                sys.stdout.flush()
                n += 1
        finally:
            os._exit(1)
    print(f"pid {pid}", flush=True)
    os.waitpid(pid, 0)
    print(f"reaped {pid}", flush=True)
"""


class Zygote:
    def __init__(self, db: Path, key: Path) -> None:
        env = {**os.environ, "CRASH_DB": str(db), "CRASH_KEY_FILE": str(key)}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=django_settings.BASE_DIR,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            for word, number in TOKEN.findall(line):
                self.lines.put(f"{word} {number}".strip())
        self.lines.put("eof")

    def expect(self, prefix: str, acked: set[int], timeout: float = 60) -> str:
        """Collect acks until a line starting with `prefix` arrives; return that line."""
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            if line.startswith("ack "):
                acked.add(int(line.split()[1]))
            elif line.startswith(prefix):
                return line
            elif line == "eof":
                raise AssertionError(f"zygote exited (status {self.proc.wait()})")

    def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.send("quit")
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@contextmanager
def on_database(path: Path, django_db_blocker) -> Iterator[None]:
    """Make the SQLite file `path` the default database for a moment, whatever database
    the rest of the suite runs on (this test does not use the test database)."""
    original = connections["default"]
    settings_dict = {
        **original.settings_dict,
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "HOST": "",
        "PORT": "",
        "USER": "",
        "PASSWORD": "",
        "OPTIONS": {"init_command": django_settings.SQLITE_INIT, "transaction_mode": "IMMEDIATE"},
    }
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    with django_db_blocker.unblock():
        connections["default"] = wrapper
        try:
            yield
        finally:
            wrapper.close()
            connections["default"] = original


def test_sigkill_during_appends_loses_no_acknowledged_entry(tmp_path, settings, django_db_blocker):
    db, key = tmp_path / "crash.sqlite3", tmp_path / "ledger-key.pem"
    settings.FAZHI_LEDGER_KEY_FILE = key  # the writers' key: checkpoints are pinned to it
    rng = random.Random(20240909)
    zygote = Zygote(db, key)
    acked: set[int] = set()
    try:
        zygote.expect("ready", acked)
        for round_ in range(ROUNDS):
            # Alternate: a checkpoint after every commit (kills land in signing too), and
            # the default cadence (kills land in plain appends).
            zygote.send(f"run {0 if round_ % 2 else 60}")
            pid = int(zygote.expect("pid ", acked).split()[1])
            time.sleep(rng.uniform(0.02, 0.3))
            os.kill(pid, signal.SIGKILL)
            zygote.expect(f"reaped {pid}", acked)

            with on_database(db, django_db_blocker):
                conn = connections["default"]
                with conn.cursor() as cur:
                    cur.execute("PRAGMA synchronous")
                    assert cur.fetchone()[0] == 2  # FULL: durable on power loss too
                    cur.execute("PRAGMA integrity_check")
                    assert cur.fetchall() == [("ok",)]
                    cur.execute("SELECT seq FROM ledger_ledgerentry")
                    stored = {row[0] for row in cur.fetchall()}
                lost = acked - stored
                assert not lost, f"round {round_}: acknowledged but lost: {sorted(lost)[:10]}"
                report = verify_ledger(check_attachments=False)
                assert report.ok, f"round {round_}: {report.summary()}"
    finally:
        zygote.close()
    assert len(acked) >= ROUNDS * 5  # the kills really did land among many appends
