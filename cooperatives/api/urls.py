from rest_framework.routers import SimpleRouter

from cooperatives.api import views

router = SimpleRouter()
router.register("cooperatives", views.CooperativeViewSet, basename="cooperative")

urlpatterns = router.urls
