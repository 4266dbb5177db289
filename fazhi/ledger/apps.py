from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class LedgerConfig(AppConfig):
    name = "fazhi.ledger"
    label = "ledger"
    verbose_name = "全过程记录（防篡改日志）"

    def ready(self) -> None:
        # Fail closed at start-up (PERF-SECURITY G19): if OpenSSL lacks the configured
        # algorithm (SM3 is not in hashlib.algorithms_guaranteed), refuse to run rather
        # than fall back silently to another hash or a slow pure-Python SM3.
        from fazhi.ledger import verifier

        try:
            verifier.hash_function(settings.FAZHI_LEDGER_HASH_ALG)
        except Exception as exc:
            raise ImproperlyConfigured(
                f"日志哈希算法 {settings.FAZHI_LEDGER_HASH_ALG} 不可用：{exc}"
            ) from exc
