from django.urls import path

from cooperatives import views

app_name = "cooperatives"

urlpatterns = [
    path("", views.CooperativeListView.as_view(), name="cooperative_list"),
    path("new/", views.CooperativeCreateView.as_view(), name="cooperative_add"),
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
]
