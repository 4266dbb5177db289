from django.urls import URLPattern, path

from fazhi.cases import views

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
