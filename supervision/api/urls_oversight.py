from rest_framework.routers import SimpleRouter

from supervision.api import oversight as views

router = SimpleRouter()
router.register("supervision/disclosures", views.DisclosureViewSet, basename="supervision-disclosure")
router.register("supervision/audits", views.AuditViewSet, basename="supervision-audit")
router.register("supervision/findings", views.FindingViewSet, basename="supervision-finding")
router.register("supervision/spot-checks", views.SpotCheckViewSet, basename="supervision-spot-check")
router.register("supervision/alerts", views.AlertViewSet, basename="supervision-alert")

urlpatterns = router.urls
