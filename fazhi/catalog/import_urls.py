"""Excel import and export pages (included by ``fazhi.catalog.urls``, namespace ``catalog``)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
