from django.urls import path
from rest_framework.routers import SimpleRouter

from supervision.api import views

router = SimpleRouter()
router.register("supervision/snapshots", views.StatisticsSnapshotViewSet, basename="supervision-snapshot")
router.register("supervision/village-snapshots", views.VillageSnapshotViewSet, basename="supervision-village-snapshot")
router.register("supervision/pairings", views.PairingViewSet, basename="supervision-pairing")
router.register("supervision/pairing-visits", views.PairingVisitViewSet, basename="supervision-pairing-visit")
router.register("supervision/bulletins", views.BulletinViewSet, basename="supervision-bulletin")

urlpatterns = [
    path("supervision/rankings/", views.RankingAPIView.as_view(), name="supervision-ranking"),
    *router.urls,
]
