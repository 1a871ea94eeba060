from django.urls import path

from shares import views

app_name = "shares"

urlpatterns = [
    path("contributions/", views.ContributionListView.as_view(), name="contribution_list"),
    path("contributions/new/", views.ContributionFormView.as_view(), name="contribution_add"),
    path("contributions/confirm/", views.ContributionConfirmAllView.as_view(), name="contribution_confirm_all"),
    path("contributions/<int:pk>/", views.ContributionDetailView.as_view(), name="contribution_detail"),
    path("contributions/<int:pk>/edit/", views.ContributionFormView.as_view(), name="contribution_edit"),
    path("contributions/<int:pk>/confirm/", views.ContributionConfirmView.as_view(), name="contribution_confirm"),
    path("contributions/<int:pk>/cancel/", views.ContributionCancelView.as_view(), name="contribution_cancel"),
    path("contributions/<int:pk>/evidence/", views.ContributionEvidenceView.as_view(), name="contribution_evidence"),
    path("register/", views.RegisterView.as_view(), name="register"),
    path("ledger/", views.EntryListView.as_view(), name="entry_list"),
    path("ledger/<int:pk>/reverse/", views.EntryReverseView.as_view(), name="entry_reverse"),
    path("transfer/", views.TransferCreateView.as_view(), name="transfer_add"),
    path("gift/", views.GiftCreateView.as_view(), name="gift_add"),
    path("conversion/", views.ConversionCreateView.as_view(), name="conversion_add"),
    path("withdrawals/", views.WithdrawalListView.as_view(), name="withdrawal_list"),
    path("withdrawals/new/", views.WithdrawalCreateView.as_view(), name="withdrawal_add"),
    path("withdrawals/<int:pk>/", views.WithdrawalDetailView.as_view(), name="withdrawal_detail"),
    path("withdrawals/<int:pk>/refund/", views.WithdrawalExecuteView.as_view(), name="withdrawal_execute"),
    path("withdrawals/<int:pk>/cancel/", views.WithdrawalCancelView.as_view(), name="withdrawal_cancel"),
    path("certificates/", views.CertificateListView.as_view(), name="certificate_list"),
    path("certificates/issue/", views.CertificateIssueView.as_view(), name="certificate_issue"),
    path("certificates/<int:pk>/", views.CertificateDetailView.as_view(), name="certificate_detail"),
    path("import/", views.ImportStartView.as_view(), name="import_start"),
    path("import/template.xlsx", views.ImportTemplateView.as_view(), name="import_template"),
    path("import/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("import/<int:pk>/progress/", views.ImportProgressView.as_view(), name="import_progress"),
    path("import/<int:pk>/report.xlsx", views.ImportReportView.as_view(), name="import_report"),
    path("cooperatives/<int:pk>/structure/", views.StructureView.as_view(), name="structure"),
]
