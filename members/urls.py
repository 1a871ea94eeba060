from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.MemberListView.as_view(), name="member_list"),
    path("new/", views.MemberCreateView.as_view(), name="member_add"),
    path("<int:pk>/", views.MemberDetailView.as_view(), name="member_detail"),
    path("<int:pk>/edit/", views.MemberUpdateView.as_view(), name="member_edit"),
    path("<int:pk>/leave/", views.MemberLeaveView.as_view(), name="member_leave"),
    path("households/", views.HouseholdListView.as_view(), name="household_list"),
    path("households/new/", views.HouseholdCreateView.as_view(), name="household_add"),
    path("households/<int:pk>/", views.HouseholdDetailView.as_view(), name="household_detail"),
    path("households/<int:pk>/edit/", views.HouseholdUpdateView.as_view(), name="household_edit"),
]
