"""Navigation entries and cooperative-page sections of the members app."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import navigation, panels
from core.choices import STAFF_ROLES
from core.panels import Panel


def _roster_section(request, cooperative, **kwargs):
    from members.models import Member
    from members.views import WRITERS

    user = request.user
    members = Member.objects.for_user(user).filter(cooperative=cooperative)
    can_add = user.is_superuser or user.jurisdiction.covers(cooperative.region_code, WRITERS)

    today = timezone.localdate()
    counts = members.aggregate(
        total=Count("pk", filter=Q(left_on__isnull=True) | Q(left_on__gt=today)),
        persons=Count("pk", filter=Q(kind="person") & (Q(left_on__isnull=True) | Q(left_on__gt=today))),
        households=Count("household", distinct=True, filter=Q(left_on__isnull=True) | Q(left_on__gt=today)),
        left=Count("pk", filter=Q(left_on__lte=today)),
    )
    return {"counts": counts, "can_add": can_add, "cooperative": cooperative}


def register() -> None:
    navigation.register(
        navigation.NavItem("members", _("Members"), "members:member_list", STAFF_ROLES, "person-vcard", 20)
    )
    panels.register(
        "cooperative_detail", Panel("members", "members/panels/roster.html", STAFF_ROLES, _roster_section, 20)
    )
