from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "fazhi.cases"
    label = "cases"
    verbose_name = "行政处罚案件"

    def ready(self) -> None:
        from fazhi.cases import indicators  # noqa: F401  (registers the penalty.* indicators)
        from fazhi.cases.integrity import check_decisions, check_disclosures
        from fazhi.ledger.integrity import register_record_check

        register_record_check(check_decisions)
        register_record_check(check_disclosures)
