from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("rankings/", views.RankingView.as_view(), name="rankings"),
    path("weights/", views.WeightsView.as_view(), name="weights"),
    path("pairings/", views.PairingListView.as_view(), name="pairing_list"),
    path("pairings/new/", views.PairingCreateView.as_view(), name="pairing_add"),
    path("pairings/<int:pk>/", views.PairingDetailView.as_view(), name="pairing_detail"),
    path("pairings/<int:pk>/visits/new/", views.PairingVisitCreateView.as_view(), name="pairing_visit_add"),
    path("pairings/<int:pk>/end/", views.PairingEndView.as_view(), name="pairing_end"),
    path("bulletins/", views.BulletinListView.as_view(), name="bulletin_list"),
    path("bulletins/generate/", views.BulletinGenerateView.as_view(), name="bulletin_generate"),
    path("bulletins/<int:pk>/", views.BulletinDetailView.as_view(), name="bulletin_detail"),
    path("bulletins/<int:pk>/download/", views.BulletinDownloadView.as_view(), name="bulletin_download"),
]
