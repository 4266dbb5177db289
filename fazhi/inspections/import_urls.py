"""Excel/CSV import and export of the 双随机 directories (namespace ``inspection_imports``).

Included in config/urls.py under ``inspections/`` beside ``fazhi.inspections.urls``.
"""

from django.urls import URLPattern, path

from fazhi.inspections import import_views as views

app_name = "inspection_imports"

urlpatterns: list[URLPattern] = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/upload/", views.import_upload, name="import_upload"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/apply/", views.import_apply, name="import_apply"),
    path("imports/<int:pk>/errors.xlsx", views.import_errors, name="import_errors"),
    path("imports/templates/<slug:kind>/", views.template_download, name="template_download"),
    path("exports/<slug:kind>/", views.export_download, name="export_download"),
]
