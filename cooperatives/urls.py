from django.urls import path

from cooperatives import views

app_name = "cooperatives"

urlpatterns = [
    path("", views.CooperativeListView.as_view(), name="cooperative_list"),
    path("new/", views.CooperativeCreateView.as_view(), name="cooperative_add"),
    path("<int:pk>/", views.CooperativeDetailView.as_view(), name="cooperative_detail"),
    path("<int:pk>/edit/", views.CooperativeUpdateView.as_view(), name="cooperative_edit"),
]
