from django.urls import URLPattern, path

from fazhi.inspections import views

app_name = "inspections"

urlpatterns: list[URLPattern] = [
    # 一单两库
    path("items/", views.item_list, name="item_list"),
    path("items/new/", views.item_edit, name="item_create"),
    path("items/<int:pk>/", views.item_edit, name="item_edit"),
    path("entities/", views.entity_list, name="entity_list"),
    path("entities/new/", views.entity_edit, name="entity_create"),
    path("entities/<int:pk>/", views.entity_edit, name="entity_edit"),
    path("inspectors/", views.inspector_list, name="inspector_list"),
    path("inspectors/new/", views.inspector_create, name="inspector_create"),
    path("inspectors/<int:pk>/", views.inspector_detail, name="inspector_detail"),
    path(
        "inspectors/<int:pk>/relationships/<int:rel>/remove/",
        views.relationship_remove,
        name="relationship_remove",
    ),
    # plans and tasks
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("plans/<int:pk>/tasks/", views.task_create, name="task_create"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    # the draw ceremony
    path("tasks/<int:pk>/ceremony/", views.task_ceremony, name="task_ceremony"),
    path("tasks/<int:pk>/screen/", views.task_screen, name="task_screen"),
    path("tasks/<int:pk>/commit/", views.task_commit, name="task_commit"),
    path("tasks/<int:pk>/reveal/", views.task_reveal, name="task_reveal"),
    path("tasks/<int:pk>/publish/", views.task_publish, name="task_publish"),
    path("draws/<int:pk>/bundle.json", views.draw_bundle, name="draw_bundle"),
    path("draw_verifier.py", views.verifier_download, name="verifier_download"),
    # results
    path("records/<int:pk>/", views.record_detail, name="record_detail"),
    path("records/export.xlsx", views.record_export, name="record_export"),
]
