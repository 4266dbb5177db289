"""Excel import and export pages (included by ``fazhi.catalog.urls``, namespace ``catalog``)."""

from django.urls import URLPattern, path

from fazhi.catalog import import_views as views

urlpatterns: list[URLPattern] = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/upload/", views.import_upload, name="import_upload"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/apply/", views.import_apply, name="import_apply"),
    path("imports/<int:pk>/errors.xlsx", views.import_errors, name="import_errors"),
    path("imports/templates/<slug:kind>.xlsx", views.template_download, name="template_download"),
    path("exports/<slug:kind>.xlsx", views.export_download, name="export_download"),
]
