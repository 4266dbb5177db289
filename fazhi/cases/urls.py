from django.urls import URLPattern, path

from fazhi.cases import views
from fazhi.cases.views import review as review_views

app_name = "cases"

urlpatterns: list[URLPattern] = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_create, name="case_create"),
    path("on-spot/", views.case_on_spot, name="case_on_spot"),
    path("deadlines/", views.deadline_list, name="deadline_list"),
    path("export.csv", views.case_export_csv, name="case_export_csv"),
    path("export.xlsx", views.case_export_xlsx, name="case_export_xlsx"),
    path("exports/<str:job_id>/", views.export_status, name="export_status"),
    path("exports/<str:job_id>/download/", views.export_download, name="export_download"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/documents/<int:doc_pk>/", views.document_download, name="document_download"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_download, name="evidence_download"),
    # Last: an action name is a word, so it never takes the fixed paths above.
    path("<int:pk>/<slug:action>/", views.case_action, name="case_action"),
]

# 案卷评查 (issue 5 §5): fixed first words, so the case paths above never take them.
urlpatterns += [
    path("reviews/", review_views.review_plan_list, name="review_plan_list"),
    path("reviews/new/", review_views.review_plan_create, name="review_plan_create"),
    path("reviews/<int:pk>/", review_views.review_plan_detail, name="review_plan_detail"),
    path("reviews/<int:pk>/commit/", review_views.review_plan_commit, name="review_plan_commit"),
    path(
        "reviews/<int:pk>/export.xlsx", review_views.review_plan_export, name="review_plan_export"
    ),
    path(
        "reviews/<int:pk>/draws/<int:draw_pk>/bundle.json",
        review_views.review_draw_bundle,
        name="review_draw_bundle",
    ),
    path("reviews/<int:pk>/reveal/", review_views.review_plan_reveal, name="review_plan_reveal"),
    path(
        "reviews/<int:pk>/opinions/new/",
        review_views.review_opinion_issue,
        name="review_opinion_issue",
    ),
    path("reviews/<int:pk>/files/<int:case_pk>/", review_views.review_score, name="review_score"),
    path("opinions/", review_views.review_opinion_list, name="review_opinion_list"),
    path("opinions/<int:pk>/", review_views.review_opinion_detail, name="review_opinion_detail"),
    path(
        "opinions/<int:pk>/document/",
        review_views.review_opinion_document,
        name="review_opinion_document",
    ),
    path(
        "opinions/<int:pk>/report/",
        review_views.review_opinion_report,
        name="review_opinion_report",
    ),
    path(
        "opinions/<int:pk>/<slug:action>/",
        review_views.review_opinion_action,
        name="review_opinion_action",
    ),
    path("answers/", review_views.department_opinion_list, name="department_opinion_list"),
    path(
        "answers/<int:pk>/",
        review_views.department_opinion_detail,
        name="department_opinion_detail",
    ),
    path(
        "answers/<int:pk>/document/",
        review_views.department_opinion_document,
        name="department_opinion_document",
    ),
    path(
        "answers/<int:pk>/report/",
        review_views.department_opinion_report,
        name="department_opinion_report",
    ),
    path(
        "answers/<int:pk>/<slug:action>/",
        review_views.department_opinion_action,
        name="department_opinion_action",
    ),
]
