from django.apps import AppConfig


class CatalogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fazhi.catalog"
    verbose_name = "执法目录与包容审慎监管"
