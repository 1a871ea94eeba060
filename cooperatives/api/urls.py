from rest_framework.routers import SimpleRouter

from cooperatives.api import views

router = SimpleRouter()
router.register("cooperatives", views.CooperativeViewSet, basename="cooperative")
router.register("board-terms", views.BoardTermViewSet, basename="board-term")
router.register("board-members", views.BoardMemberViewSet, basename="board-member")
router.register("charters", views.CharterViewSet, basename="charter")
router.register("charter-attachments", views.CharterAttachmentViewSet, basename="charter-attachment")
# governance
router.register("federations", views.FederationViewSet, basename="federation")
router.register("federation-memberships", views.FederationMembershipViewSet, basename="federation-membership")
router.register("classification-changes", views.ClassificationChangeViewSet, basename="classification-change")
router.register("demonstrations", views.DemonstrationAwardViewSet, basename="demonstration")
router.register("certifications", views.ProductCertificationViewSet, basename="certification")
router.register("major-matters", views.MajorMatterViewSet, basename="major-matter")
router.register("experts", views.ExpertViewSet, basename="expert")
router.register("project-proposals", views.ProjectProposalViewSet, basename="project-proposal")
router.register("expert-reviews", views.ExpertReviewViewSet, basename="expert-review")
router.register("archived-documents", views.ArchivedDocumentViewSet, basename="archived-document")
router.register("seal-uses", views.SealUseViewSet, basename="seal-use")

urlpatterns = router.urls
