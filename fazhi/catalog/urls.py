from django.urls import URLPattern, path

from fazhi.catalog import import_urls, views

app_name = "catalog"

urlpatterns: list[URLPattern] = [
    # The import/export pages first: their fixed paths (e.g. items/export/) must not be taken
    # for an item code by items/<code>/ below.
    *import_urls.urlpatterns,
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/new/", views.body_create, name="body_create"),
    path("bodies/<slug:code>/", views.body_detail, name="body_detail"),
    path("bodies/<slug:code>/edit/", views.body_edit, name="body_edit"),
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/new/", views.officer_create, name="officer_create"),
    path("officers/<str:number>/", views.officer_detail, name="officer_detail"),
    path("officers/<str:number>/edit/", views.officer_edit, name="officer_edit"),
    path("officers/<str:number>/status/", views.officer_status, name="officer_status"),
    path("officers/<str:number>/trainings/", views.officer_training, name="officer_training"),
    path("officers/<str:number>/shadowing/", views.officer_shadowing, name="officer_shadowing"),
    # Fixed words before <code>: an item code is letters, digits and ._- (services.ITEM_CODE_RE).
    path("items/", views.item_list, name="item_list"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/publish/", views.item_publish, name="item_publish"),
    path("items/lookup/", views.item_lookup, name="item_lookup"),
    path("items/<str:code>/", views.item_detail, name="item_detail"),
    path("items/<str:code>/edit/", views.item_edit, name="item_edit"),
    path("items/<str:code>/active/", views.item_active, name="item_active"),
    path("items/<str:code>/delegate/", views.item_delegate, name="item_delegate"),
    path("delegations/<int:pk>/evaluate/", views.delegation_evaluate, name="delegation_evaluate"),
    path("lists/", views.list_list, name="list_list"),
    path("lists/new/", views.list_create, name="list_create"),
    path("lists/<int:pk>/", views.list_detail, name="list_detail"),
    path("lists/<int:pk>/entries/new/", views.list_entry_add, name="list_entry_add"),
    path(
        "lists/<int:pk>/entries/<int:entry_pk>/remove/",
        views.list_entry_remove,
        name="list_entry_remove",
    ),
    path("lists/<int:pk>/publish/", views.list_publish, name="list_publish"),
    path("standards/", views.standard_list, name="standard_list"),
    path("standards/new/", views.standard_create, name="standard_create"),
    path("standards/<int:pk>/", views.standard_detail, name="standard_detail"),
    path("standards/<int:pk>/publish/", views.standard_publish, name="standard_publish"),
    path("calculator/", views.calculator_view, name="calculator"),
]
