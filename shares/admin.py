"""Admin for the shares app: read-only. The ledger is append-only; every write goes through a service."""

from django.contrib import admin

from members.admin import ReadOnlyAdmin
from shares.models import Contribution, Holding, ImportBatch, ShareCertificate, ShareEntry, ShareWithdrawal


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "member", "kind", "share_class", "amount", "state", "contributed_on"]
    list_filter = ["state", "kind", "share_class"]
    list_select_related = ["member"]


@admin.register(Holding)
class HoldingAdmin(ReadOnlyAdmin):
    list_display = ["member", "share_class", "amount", "cooperative"]
    list_filter = ["share_class"]
    list_select_related = ["member", "cooperative"]


@admin.register(ShareEntry)
class ShareEntryAdmin(ReadOnlyAdmin):
    list_display = ["pk", "effective_on", "entry_type", "member", "share_class", "amount", "balance_after", "operation"]
    list_filter = ["entry_type", "share_class"]
    search_fields = ["operation"]
    list_select_related = ["member"]


@admin.register(ShareWithdrawal)
class ShareWithdrawalAdmin(ReadOnlyAdmin):
    list_display = ["member", "amount", "applied_on", "effective_on", "state"]
    list_filter = ["state"]
    list_select_related = ["member"]


@admin.register(ShareCertificate)
class ShareCertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "member", "total_amount", "issued_on", "state"]
    list_filter = ["state"]
    list_select_related = ["member"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["pk", "original_name", "cooperative", "state", "total_rows", "created_at"]
    list_filter = ["state"]
