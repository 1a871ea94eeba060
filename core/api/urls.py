from django.urls import path
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.routers import SimpleRouter

from core.api import views

router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("approvals", views.ApprovalRequestViewSet, basename="approval")

urlpatterns = [
    path("auth/token/", ObtainAuthToken.as_view(), name="auth_token"),
    path("me/", views.MeView.as_view(), name="me"),
    *router.urls,
]
