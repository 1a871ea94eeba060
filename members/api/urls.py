from rest_framework.routers import SimpleRouter

from members.api import views

router = SimpleRouter()
router.register("members", views.MemberViewSet, basename="member")
router.register("households", views.HouseholdViewSet, basename="household")

urlpatterns = router.urls
