from django.urls import path

from canhgiac.online import views

app_name = "online"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("listings/new/", views.listing_new, name="listing_new"),
    path("listings/import/", views.listing_import, name="import"),
    path("listings/export.csv", views.listing_export, name="export"),
    path("listings/<int:pk>/", views.listing_detail, name="listing"),
    path("listings/<int:pk>/takedown/", views.listing_takedown, name="takedown"),
    path("listings/<int:pk>/case/", views.listing_case, name="to_case"),
    path("listings/<int:pk>/warn/", views.listing_warn, name="warn"),
    path("listings/<int:pk>/no-violation/", views.listing_no_violation, name="no_violation"),
    path("listings/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("takedowns/<int:pk>/outcome/", views.takedown_outcome, name="takedown_outcome"),
    path("accounts/<int:pk>/", views.account_detail, name="account"),
    path("figures/", views.figures, name="figures"),
    path("commitments/", views.coverage, name="coverage"),
    path("commitments/signers/new/", views.signer_new, name="signer_new"),
    path("commitments/signers/import/", views.signer_import, name="signer_import"),
    path("commitments/signers/<int:pk>/", views.signer_detail, name="signer"),
    path("commitments/sign/", views.sign_own, name="sign"),
    path("commitments/public/", views.public_commitments, name="public_commitments"),
]
