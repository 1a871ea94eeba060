from django.urls import path

from cooperatives import views
from cooperatives.views import archive, classification, federations, major_matters, projects

app_name = "cooperatives"

urlpatterns = [
    path("", views.CooperativeListView.as_view(), name="cooperative_list"),
    path("new/", views.CooperativeCreateView.as_view(), name="cooperative_add"),
    path("search/", views.CooperativeSearchView.as_view(), name="cooperative_search"),
    path("<int:pk>/", views.CooperativeDetailView.as_view(), name="cooperative_detail"),
    path("<int:pk>/edit/", views.CooperativeUpdateView.as_view(), name="cooperative_edit"),
    # board, supervisory board and cross-serving
    path("<int:pk>/board/", views.BoardView.as_view(), name="board"),
    path("<int:pk>/board/terms/new/", views.BoardTermCreateView.as_view(), name="boardterm_add"),
    path("board/terms/<int:pk>/edit/", views.BoardTermUpdateView.as_view(), name="boardterm_edit"),
    path("board/terms/<int:pk>/delete/", views.BoardTermDeleteView.as_view(), name="boardterm_delete"),
    path("board/terms/<int:pk>/members/new/", views.BoardMemberCreateView.as_view(), name="boardmember_add"),
    path("board/members/<int:pk>/edit/", views.BoardMemberUpdateView.as_view(), name="boardmember_edit"),
    path("board/members/<int:pk>/delete/", views.BoardMemberDeleteView.as_view(), name="boardmember_delete"),
    # charters
    path("charters/", views.CharterListView.as_view(), name="charter_list"),
    path("<int:pk>/charters/", views.CharterHistoryView.as_view(), name="charter_history"),
    path("<int:pk>/charters/new/", views.CharterCreateView.as_view(), name="charter_add"),
    path("charters/<int:pk>/", views.CharterDetailView.as_view(), name="charter_detail"),
    path("charters/<int:pk>/edit/", views.CharterUpdateView.as_view(), name="charter_edit"),
    path("charters/<int:pk>/submit/", views.CharterSubmitView.as_view(), name="charter_submit"),
    path("charters/<int:pk>/withdraw/", views.CharterWithdrawView.as_view(), name="charter_withdraw"),
    path("charters/<int:pk>/review/", views.CharterReviewView.as_view(), name="charter_review"),
    path("charters/<int:pk>/vote/", views.CharterVoteView.as_view(), name="charter_vote"),
    path("charters/<int:pk>/file/", views.CharterFileView.as_view(), name="charter_file"),
    path("charters/<int:pk>/amend/", views.CharterAmendView.as_view(), name="charter_amend"),
    path("charters/<int:pk>/print/", views.CharterPrintView.as_view(), name="charter_print"),
    path("charters/<int:pk>/compare/", views.CharterCompareView.as_view(), name="charter_compare"),
    path("charters/<int:pk>/attachments/new/", views.CharterAttachmentCreateView.as_view(), name="charter_attach"),
    path("charters/attachments/<int:pk>/", views.CharterAttachmentDownloadView.as_view(), name="charter_attachment"),
    path(
        "charters/attachments/<int:pk>/delete/",
        views.CharterAttachmentDeleteView.as_view(),
        name="charter_attachment_delete",
    ),
    # federations (联合社)
    path("federations/", federations.FederationListView.as_view(), name="federation_list"),
    path("federations/new/", federations.FederationCreateView.as_view(), name="federation_add"),
    path(
        "federations/<int:pk>/members/add/",
        federations.FederationMemberAddView.as_view(),
        name="federationmembership_add",
    ),
    path(
        "federations/memberships/<int:pk>/remove/",
        federations.FederationMemberRemoveView.as_view(),
        name="federationmembership_remove",
    ),
    # classification, demonstration titles, certifications
    path("<int:pk>/classify/", classification.ClassificationCreateView.as_view(), name="classification_add"),
    path(
        "classifications/",
        classification.ClassificationChangeListView.as_view(),
        name="classificationchange_list",
    ),
    path("demonstrations/", classification.DemonstrationListView.as_view(), name="demonstrationaward_list"),
    path("demonstrations/new/", classification.DemonstrationCreateView.as_view(), name="demonstrationaward_add"),
    path("certifications/", classification.CertificationListView.as_view(), name="productcertification_list"),
    path(
        "certifications/new/",
        classification.CertificationCreateView.as_view(),
        name="productcertification_add",
    ),
    # major matters (四议两公开)
    path("major-matters/", major_matters.MajorMatterListView.as_view(), name="majormatter_list"),
    path("major-matters/new/", major_matters.MajorMatterCreateView.as_view(), name="majormatter_add"),
    path("major-matters/<int:pk>/", major_matters.MajorMatterDetailView.as_view(), name="majormatter_detail"),
    path(
        "major-matters/<int:pk>/steps/<int:step>/",
        major_matters.MajorMatterStepCreateView.as_view(),
        name="majormatterstep_add",
    ),
    path(
        "major-matters/steps/<int:pk>/attachment/",
        major_matters.MajorMatterStepAttachmentView.as_view(),
        name="majormatterstep_attachment",
    ),
    # project proposals and expert review
    path("experts/", projects.ExpertListView.as_view(), name="expert_list"),
    path("experts/new/", projects.ExpertCreateView.as_view(), name="expert_add"),
    path("experts/<int:pk>/edit/", projects.ExpertUpdateView.as_view(), name="expert_edit"),
    path("projects/", projects.ProjectProposalListView.as_view(), name="projectproposal_list"),
    path("projects/new/", projects.ProjectProposalCreateView.as_view(), name="projectproposal_add"),
    path("projects/<int:pk>/", projects.ProjectProposalDetailView.as_view(), name="projectproposal_detail"),
    path("projects/<int:pk>/edit/", projects.ProjectProposalUpdateView.as_view(), name="projectproposal_edit"),
    path("projects/<int:pk>/submit/", projects.ProjectProposalSubmitView.as_view(), name="projectproposal_submit"),
    path("projects/<int:pk>/experts/", projects.ProjectExpertsAssignView.as_view(), name="projectproposal_experts"),
    path("projects/<int:pk>/decide/", projects.ProjectProposalDecideView.as_view(), name="projectproposal_decide"),
    path(
        "projects/<int:pk>/market-study/",
        projects.ProjectProposalMarketStudyView.as_view(),
        name="projectproposal_market_study",
    ),
    path("projects/reviews/<int:pk>/", projects.ExpertReviewRecordView.as_view(), name="expertreview_edit"),
    # archive and seal-use log
    path("archive/", archive.ArchivedDocumentListView.as_view(), name="archiveddocument_list"),
    path("archive/new/", archive.ArchivedDocumentCreateView.as_view(), name="archiveddocument_add"),
    path("archive/<int:pk>/", archive.ArchivedDocumentDetailView.as_view(), name="archiveddocument_detail"),
    path("archive/<int:pk>/edit/", archive.ArchivedDocumentUpdateView.as_view(), name="archiveddocument_edit"),
    path(
        "archive/<int:pk>/download/",
        archive.ArchivedDocumentDownloadView.as_view(),
        name="archiveddocument_download",
    ),
    path("seal-uses/", archive.SealUseListView.as_view(), name="sealuse_list"),
    path("seal-uses/new/", archive.SealUseCreateView.as_view(), name="sealuse_add"),
    path("seal-uses/<int:pk>/", archive.SealUseDetailView.as_view(), name="sealuse_detail"),
    path("seal-uses/<int:pk>/confirm/", archive.SealUseConfirmView.as_view(), name="sealuse_confirm"),
]
