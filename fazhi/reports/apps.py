from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ReportsConfig(AppConfig):
    name = "fazhi.reports"
    label = "reports"
    verbose_name = "统计与报告"

    def ready(self) -> None:
        # Each app declares its figures in <app>/indicators.py.
        autodiscover_modules("indicators")
