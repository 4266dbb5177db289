from django.urls import path

from fazhi.core import views

app_name = "core"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("workbench/", views.home, name="home"),
    path("password/", views.password_change, name="password_change"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<slug:code>/", views.organization_detail, name="organization_detail"),
    path("organizations/<slug:code>/edit/", views.organization_edit, name="organization_edit"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<str:username>/", views.user_detail, name="user_detail"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar/set/", views.calendar_set, name="calendar_set"),
    path("calendar/clear/", views.calendar_clear, name="calendar_clear"),
    path("calendar/seed/", views.calendar_seed, name="calendar_seed"),
    path("audit/logins/", views.login_attempt_list, name="login_attempt_list"),
]
