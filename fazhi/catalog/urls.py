from django.urls import URLPattern, path

from fazhi.catalog import import_urls

app_name = "catalog"

urlpatterns: list[URLPattern] = [
    *import_urls.urlpatterns,
]
