from rest_framework.routers import SimpleRouter

from dividends.api import views

router = SimpleRouter()
router.register("dividends/policies", views.PolicyViewSet, basename="dividends-policy")
router.register("dividends/plans", views.PlanViewSet, basename="dividends-plan")
router.register("dividends/allocations", views.AllocationViewSet, basename="dividends-allocation")
router.register("dividends/payouts", views.PayoutViewSet, basename="dividends-payout")

urlpatterns = router.urls
