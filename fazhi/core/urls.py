from django.urls import path

from fazhi.core import views

app_name = "core"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("workbench/", views.home, name="home"),
]
