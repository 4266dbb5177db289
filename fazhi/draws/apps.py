from django.apps import AppConfig


class DrawsConfig(AppConfig):
    name = "fazhi.draws"
    label = "draws"
    verbose_name = "可验证随机抽取"

    def ready(self) -> None:
        from fazhi.draws.integrity import check_draws
        from fazhi.ledger.integrity import register_record_check

        register_record_check(check_draws)
