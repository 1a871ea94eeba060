from rest_framework.routers import SimpleRouter

from finance.api import views

router = SimpleRouter()
router.register("finance/accounts", views.AccountViewSet, basename="finance-account")
router.register("finance/fiscal-years", views.FiscalYearViewSet, basename="finance-fiscal-year")
router.register("finance/periods", views.PeriodViewSet, basename="finance-period")
router.register("finance/vouchers", views.VoucherViewSet, basename="finance-voucher")
router.register("finance/contracts", views.ContractViewSet, basename="finance-contract")
router.register("finance/patronage-transactions", views.PatronageViewSet, basename="finance-patronage")
router.register("finance/projects", views.ProjectViewSet, basename="finance-project")
router.register("finance/collective-incomes", views.CollectiveIncomeViewSet, basename="finance-collective-income")
router.register("finance/books", views.BooksViewSet, basename="finance-books")
router.register("finance/member-accounts", views.MemberAccountViewSet, basename="finance-member-account")

urlpatterns = router.urls
