from django.urls import path
from rest_framework.routers import SimpleRouter

from core.api import views

router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("approvals", views.ApprovalRequestViewSet, basename="approval")

urlpatterns = [
    path("auth/token/", views.TokenLoginView.as_view(), name="auth_token"),
    path("auth/logout/", views.TokenLogoutView.as_view(), name="auth_logout"),
    path("auth/logout-all/", views.TokenLogoutAllView.as_view(), name="auth_logout_all"),
    path("me/", views.MeView.as_view(), name="me"),
    *router.urls,
]
