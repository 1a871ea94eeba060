from django.urls import path
from rest_framework.routers import SimpleRouter

from shares.api import views

router = SimpleRouter()
router.register("contributions", views.ContributionViewSet, basename="contribution")
router.register("holdings", views.HoldingViewSet, basename="holding")
router.register("share-entries", views.ShareEntryViewSet, basename="share-entry")
router.register("withdrawals", views.WithdrawalViewSet, basename="withdrawal")
router.register("certificates", views.CertificateViewSet, basename="certificate")
router.register("imports", views.ImportViewSet, basename="import")

urlpatterns = [
    path("cooperatives/<int:pk>/compliance/", views.ComplianceView.as_view(), name="cooperative-compliance"),
    *router.urls,
]
