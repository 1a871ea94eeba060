from django.urls import path

from finance import views

app_name = "finance"

coop = "cooperatives/<int:pk>/"

urlpatterns = [
    path("", views.FinanceHomeView.as_view(), name="home"),
    # one cooperative's books
    path(coop, views.BooksDetailView.as_view(), name="books_detail"),
    path(coop + "open/", views.BooksOpenView.as_view(), name="books_open"),
    path(coop + "years/new/", views.FiscalYearOpenView.as_view(), name="fiscalyear_add"),
    path(coop + "accounts/new/", views.AccountCreateView.as_view(), name="account_add"),
    path(coop + "projects/new/", views.ProjectCreateView.as_view(), name="project_add"),
    path(coop + "assets/new/", views.AssetCreateView.as_view(), name="asset_add"),
    path(coop + "vouchers/new/", views.VoucherCreateView.as_view(), name="voucher_add"),
    path(coop + "contracts/new/", views.ContractCreateView.as_view(), name="contract_add"),
    path(coop + "patronage/new/", views.PatronageCreateView.as_view(), name="patronage_add"),
    path(coop + "collective-income/new/", views.CollectiveIncomeCreateView.as_view(), name="collectiveincome_add"),
    path(coop + "quantify/", views.QuantifyView.as_view(), name="quantify"),
    path(coop + "tie-out/", views.TieOutView.as_view(), name="tie_out"),
    # statements and books
    path(coop + "trial-balance/", views.TrialBalanceView.as_view(), name="trial_balance"),
    path(coop + "general-ledger/", views.GeneralLedgerView.as_view(), name="general_ledger"),
    path(coop + "ledger/", views.LedgerView.as_view(), name="ledger"),
    path(coop + "cash-journal/", views.CashJournalView.as_view(), name="cash_journal"),
    path(coop + "bank-journal/", views.BankJournalView.as_view(), name="bank_journal"),
    path(coop + "balance-sheet/", views.BalanceSheetView.as_view(), name="balance_sheet"),
    path(coop + "surplus-statement/", views.SurplusStatementView.as_view(), name="surplus_statement"),
    path(coop + "equity-statement/", views.EquityStatementView.as_view(), name="equity_statement"),
    path(coop + "member-accounts/", views.MemberAccountView.as_view(), name="member_account"),
    # accounts and projects
    path("accounts/", views.AccountListView.as_view(), name="account_list"),
    path("accounts/search/", views.AccountSearchView.as_view(), name="account_search"),
    path("accounts/<int:pk>/", views.AccountDetailView.as_view(), name="account_detail"),
    path("accounts/<int:pk>/edit/", views.AccountUpdateView.as_view(), name="account_edit"),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project_edit"),
    # years and months
    path("years/<int:pk>/", views.FiscalYearDetailView.as_view(), name="fiscalyear_detail"),
    path("years/<int:pk>/opening/", views.OpeningBalanceView.as_view(), name="opening_balances"),
    path("years/<int:pk>/close/", views.FiscalYearCloseView.as_view(), name="fiscalyear_close"),
    path("assets/", views.AssetListView.as_view(), name="asset_list"),
    path("assets/<int:pk>/", views.AssetDetailView.as_view(), name="asset_detail"),
    path("periods/", views.PeriodListView.as_view(), name="period_list"),
    path("periods/<int:pk>/", views.PeriodDetailView.as_view(), name="period_detail"),
    path("periods/<int:pk>/close/", views.PeriodCloseView.as_view(), name="period_close"),
    path("periods/<int:pk>/reopen/", views.PeriodReopenView.as_view(), name="period_reopen"),
    path("periods/<int:pk>/vouchers/print/", views.PeriodVoucherPrintView.as_view(), name="period_print"),
    # vouchers
    path("vouchers/", views.VoucherListView.as_view(), name="voucher_list"),
    path("vouchers/<int:pk>/", views.VoucherDetailView.as_view(), name="voucher_detail"),
    path("vouchers/<int:pk>/edit/", views.VoucherUpdateView.as_view(), name="voucher_edit"),
    path("vouchers/<int:pk>/action/", views.VoucherActionView.as_view(), name="voucher_action"),
    path("vouchers/<int:pk>/reverse/", views.VoucherReverseView.as_view(), name="voucher_reverse"),
    path("vouchers/<int:pk>/attachments/", views.AttachmentUploadView.as_view(), name="attachment_add"),
    path("attachments/<int:pk>/", views.AttachmentView.as_view(), name="attachment_download"),
    # contracts
    path("contracts/", views.ContractListView.as_view(), name="contract_list"),
    path("contracts/attention/", views.ContractAttentionView.as_view(), name="contract_attention"),
    path("contracts/<int:pk>/", views.ContractDetailView.as_view(), name="contract_detail"),
    path("contracts/<int:pk>/edit/", views.ContractUpdateView.as_view(), name="contract_edit"),
    path("contracts/<int:pk>/file/", views.ContractFileView.as_view(), name="contract_file"),
    path("contracts/<int:pk>/action/", views.ContractActionView.as_view(), name="contract_action"),
    path("contracts/<int:pk>/payments/new/", views.ContractPaymentCreateView.as_view(), name="contractpayment_add"),
    # member transactions and collective income
    path("patronage/", views.PatronageListView.as_view(), name="patronage_list"),
    path("patronage/<int:pk>/edit/", views.PatronageUpdateView.as_view(), name="patronage_edit"),
    path("collective-income/", views.CollectiveIncomeListView.as_view(), name="collectiveincome_list"),
]
