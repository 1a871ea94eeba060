"""Admin for members: for looking things up. Changes go through the pages and the API (services)."""

from django.contrib import admin

from members.models import Household, Member


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ["number", "head_name", "size", "village", "region_code"]
    search_fields = ["number", "head_name", "region_code"]
    list_select_related = ["village"]


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["number", "name", "kind", "cooperative", "joined_on", "left_on"]
    list_filter = ["kind", "is_branch_member", "is_poverty_registered"]
    search_fields = ["name", "region_code"]
    list_select_related = ["cooperative"]
    exclude = ["id_number"]  # sensitive: read it on the member page, where the masking rules apply
