"""Pages of disclosures, audits and alerts under /supervision/ (namespace ``oversight``)."""

from django.urls import path

from supervision import views_oversight as v

app_name = "oversight"

urlpatterns = [
    path("disclosures/", v.DisclosureListView.as_view(), name="disclosure_list"),
    path("disclosures/<int:pk>/", v.DisclosureDetailView.as_view(), name="disclosure_detail"),
    path("disclosures/<int:pk>/edit/", v.DisclosureEditView.as_view(), name="disclosure_edit"),
    path("disclosures/<int:pk>/refresh/", v.DisclosureRefreshView.as_view(), name="disclosure_refresh"),
    path("disclosures/<int:pk>/publish/", v.DisclosurePublishView.as_view(), name="disclosure_publish"),
    path("audits/", v.AuditListView.as_view(), name="audit_list"),
    path("audits/new/", v.AuditCreateView.as_view(), name="audit_add"),
    path("audits/townships/<int:pk>/annual/", v.AnnualAuditsOpenView.as_view(), name="annual_audits_open"),
    path("audits/<int:pk>/", v.AuditDetailView.as_view(), name="audit_detail"),
    path("audits/<int:pk>/findings/new/", v.FindingAddView.as_view(), name="finding_add"),
    path("audits/<int:pk>/report/", v.AuditReportView.as_view(), name="audit_report"),
    path("audits/<int:pk>/close/", v.AuditCloseView.as_view(), name="audit_close"),
    path("findings/<int:pk>/evidence/", v.EvidenceAddView.as_view(), name="evidence_add"),
    path("findings/<int:pk>/rectified/", v.FindingRectifiedView.as_view(), name="finding_rectified"),
    path("findings/<int:pk>/close/", v.FindingCloseView.as_view(), name="finding_close"),
    path("evidence/<int:pk>/", v.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("spot-checks/", v.SpotCheckListView.as_view(), name="spotcheck_list"),
    path("spot-checks/<int:pk>/", v.SpotCheckDetailView.as_view(), name="spotcheck_detail"),
    path("alerts/", v.AlertListView.as_view(), name="alert_list"),
    path("alerts/<int:pk>/", v.AlertDetailView.as_view(), name="alert_detail"),
    path("alerts/<int:pk>/acknowledge/", v.AlertAcknowledgeView.as_view(), name="alert_acknowledge"),
    path("alerts/<int:pk>/resolve/", v.AlertResolveView.as_view(), name="alert_resolve"),
    path("alerts/<int:pk>/assign/", v.AlertAssignView.as_view(), name="alert_assign"),
]
