"""Local development and `make run`: one machine, SQLite under var/."""

from config.settings.base import *  # noqa: F403
from config.settings.base import SECRET_KEY as _SECRET
from config.settings.base import VAR_DIR

DEBUG = True
SECRET_KEY = _SECRET or "dev-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "staticfiles").mkdir(exist_ok=True)
