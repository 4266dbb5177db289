from django.urls import path

from fazhi.portal import decisions, inspections, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    # 行政执法公示: the published enforcement catalog.
    path("enforcement/bodies/", views.enforcement_bodies, name="enforcement_bodies"),
    path("enforcement/items/", views.enforcement_items, name="enforcement_items"),
    path("enforcement/items/<str:code>/", views.enforcement_item, name="enforcement_item"),
    path("enforcement/lists/", views.enforcement_lists, name="enforcement_lists"),
    path("enforcement/lists/<int:pk>/", views.enforcement_list, name="enforcement_list"),
    path("enforcement/standards/", views.enforcement_standards, name="enforcement_standards"),
    path(
        "enforcement/standards/<int:pk>/", views.enforcement_standard, name="enforcement_standard"
    ),
    # 行政处罚决定公示: the redacted snapshots, their history and their public receipts.
    path("enforcement/decisions/", decisions.decision_list, name="enforcement_decisions"),
    path(
        "enforcement/decisions/<int:pk>/",
        decisions.decision_detail,
        name="enforcement_decision",
    ),
    path(
        "enforcement/decisions/receipts/<int:seq>.json",
        decisions.decision_receipt,
        name="enforcement_decision_receipt",
    ),
    # 双随机、一公开: plans, verifiable draws, results, the enterprise lookup.
    path("random-inspections/", inspections.plan_list, name="inspection_plans"),
    path("random-inspections/plans/<int:pk>/", inspections.plan_detail, name="inspection_plan"),
    path("random-inspections/draws/<int:pk>/", inspections.draw_detail, name="inspection_draw"),
    path(
        "random-inspections/draws/<int:pk>/bundle.json",
        inspections.draw_bundle,
        name="inspection_draw_bundle",
    ),
    path(
        "random-inspections/draw_verifier.py", inspections.draw_verifier, name="inspection_verifier"
    ),
    path("random-inspections/results/", inspections.result_list, name="inspection_results"),
    path("random-inspections/lookup/", inspections.lookup, name="inspection_lookup"),
]
