from django.urls import path

from core import views
from core.views import notifications as notification_views
from core.views.audit import AuditTrailView
from core.views.policy import PolicyProfileView
from core.views.tokens import TokenListView

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("scope/", views.ScopeSwitchView.as_view(), name="scope_switch"),
    path("approvals/", views.ApprovalListView.as_view(), name="approval_list"),
    path("approvals/<int:pk>/", views.ApprovalDetailView.as_view(), name="approval_detail"),
    path("approvals/<int:pk>/act/", views.ApprovalActionView.as_view(), name="approval_act"),
    path("regions/", views.RegionListView.as_view(), name="region_list"),
    path("regions/search/", views.RegionSearchView.as_view(), name="region_search"),
    path("audit/", AuditTrailView.as_view(), name="audit_trail"),
    path("policy/", PolicyProfileView.as_view(), name="policy_profile"),
    path("account/tokens/", TokenListView.as_view(), name="tokens"),
    path("notifications/", notification_views.NotificationListView.as_view(), name="notification_list"),
    path("notifications/bell/", notification_views.NotificationBellView.as_view(), name="notification_bell"),
    path("notifications/read-all/", notification_views.NotificationReadAllView.as_view(), name="notification_read_all"),
    path("notifications/<int:pk>/read/", notification_views.NotificationReadView.as_view(), name="notification_read"),
    path(
        "account/notifications/",
        notification_views.NotificationPreferenceView.as_view(),
        name="notification_preferences",
    ),
    path("regions/<int:pk>/webhook/", notification_views.GroupWebhookView.as_view(), name="region_webhook"),
]
