from rest_framework.routers import SimpleRouter

from cooperatives.api import views

router = SimpleRouter()
router.register("cooperatives", views.CooperativeViewSet, basename="cooperative")
router.register("board-terms", views.BoardTermViewSet, basename="board-term")
router.register("board-members", views.BoardMemberViewSet, basename="board-member")
router.register("charters", views.CharterViewSet, basename="charter")
router.register("charter-attachments", views.CharterAttachmentViewSet, basename="charter-attachment")

urlpatterns = router.urls
