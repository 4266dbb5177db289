from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "fazhi.inspections"
    label = "inspections"
    verbose_name = "双随机、一公开"

    def ready(self) -> None:
        from fazhi.inspections import (
            imports,
            indicators,  # noqa: F401  (registers inspections.*)
        )

        imports.register()  # the directories' Excel/CSV import kinds (fazhi.catalog.imports)
