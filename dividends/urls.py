from django.urls import path

from dividends import views

app_name = "dividends"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan_list"),
    path("policies/", views.PolicyListView.as_view(), name="policy_list"),
    path("mine/", views.MyStatementsView.as_view(), name="my_statements"),
    path("cooperatives/<int:pk>/plans/new/", views.PlanCreateView.as_view(), name="plan_add"),
    path("cooperatives/<int:pk>/compare/", views.PlanCompareView.as_view(), name="plan_compare"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/action/", views.PlanActionView.as_view(), name="plan_action"),
    path("plans/<int:pk>/notice/", views.PlanNoticeView.as_view(), name="plan_notice"),
    path("plans/<int:pk>/payouts/", views.PlanPayoutsView.as_view(), name="payout_list"),
    path("payouts/<int:pk>/", views.PayoutUpdateView.as_view(), name="payout_edit"),
    path("statements/<int:pk>/", views.StatementView.as_view(), name="statement"),
]
