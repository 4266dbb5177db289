from django.urls import include, path

urlpatterns = [
    path("", include("fazhi.portal.urls")),
    path("", include("fazhi.core.urls")),
    path("ledger/", include("fazhi.ledger.urls")),
    path("catalog/", include("fazhi.catalog.urls")),
    path("cases/", include("fazhi.cases.urls")),
    path("inspections/", include("fazhi.inspections.import_urls")),
    path("inspections/", include("fazhi.inspections.urls")),
    path("reports/", include("fazhi.reports.urls")),
    path("api/v1/", include("fazhi.api.urls")),
]
