from django.urls import path

from fazhi.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("indicators/<str:code>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<str:code>/export.xlsx", views.indicator_export, name="indicator_export"),
]
