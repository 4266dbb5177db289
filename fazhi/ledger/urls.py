from django.urls import path

from fazhi.ledger import views

app_name = "ledger"

urlpatterns = [
    # Staff: the audit trail itself (ledger.view_entries).
    path("entries/", views.entry_list, name="entry_list"),
    path("entries/<int:seq>/", views.entry_detail, name="entry_detail"),
    path("entries/<int:seq>/receipt.json", views.receipt, name="receipt"),
    # Public: signed checkpoints, proofs, the verifier and the verify page.
    path("checkpoints/", views.checkpoint_list, name="checkpoint_list"),
    path("checkpoints/create/", views.checkpoint_create, name="checkpoint_create"),
    path("consistency/", views.consistency, name="consistency"),
    path("verifier.py", views.verifier_download, name="verifier_download"),
    path("verify/", views.verify, name="verify"),
]
