"""Test settings: a fast hasher, no network, temporary var directory."""

import tempfile
from pathlib import Path

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES

SECRET_KEY = "test-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105 - test settings only
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
_TMP = Path(tempfile.mkdtemp(prefix="fazhi-test-"))
FAZHI_LEDGER_KEY_FILE = _TMP / "keys" / "ledger-ed25519.pem"
FAZHI_ATTACHMENT_DIR = _TMP / "attachments"
FAZHI_IMPORT_INLINE = True  # catalog imports run in the request: deterministic tests
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(_TMP / "test.sqlite3")}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = _TMP / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
