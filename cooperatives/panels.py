"""Sections the governance features add to the cooperative page (slot "cooperative_detail")."""

from __future__ import annotations

from decimal import Decimal

from core import panels
from core.choices import STAFF_ROLES
from core.panels import Panel

SLOT = "cooperative_detail"


def _federation(request, *, cooperative, **kwargs) -> dict | None:
    """On a federation's page its members; on a member's page the federations it belongs to."""
    from cooperatives.choices import FEDERATION_KINDS
    from cooperatives.models import Cooperative
    from cooperatives.selectors import federation_members, federations_of

    user = request.user
    if cooperative.kind in FEDERATION_KINDS:
        memberships = list(federation_members(user, cooperative, include_former=True))
        active = [m for m in memberships if m.left_on is None]
        return {
            "is_federation": True,
            "memberships": memberships,
            "active_count": len(active),
            "contribution_total": sum((m.contribution for m in active), Decimal("0.00")),
            "can_change": Cooperative.objects.for_user(user, "change").filter(pk=cooperative.pk).exists(),
        }
    federations = list(federations_of(user, cooperative))
    if not federations:
        return None
    visible = set(
        Cooperative.objects.for_user(user)
        .filter(pk__in=[m.federation_id for m in federations])
        .values_list("pk", flat=True)
    )
    return {"is_federation": False, "federations": federations, "visible": visible}


def _recognition(request, *, cooperative, **kwargs) -> dict | None:
    from cooperatives.choices import FEDERATION_KINDS
    from cooperatives.models import ClassificationChange, DemonstrationAward, ProductCertification
    from cooperatives.models.common import may_act

    user = request.user
    return {
        "half": True,
        "classifiable": cooperative.kind not in FEDERATION_KINDS,
        "changes": list(
            ClassificationChange.objects.for_user(user)
            .filter(cooperative=cooperative)
            .select_related("changed_by")
            .order_by("-changed_on", "-pk")[:5]
        ),
        "demonstrations": list(
            DemonstrationAward.objects.for_user(user).filter(cooperative=cooperative).order_by("-year", "pk")
        ),
        "certifications": list(
            ProductCertification.objects.for_user(user).filter(cooperative=cooperative).order_by("-certified_on", "pk")
        ),
        "can_classify": may_act(user, ClassificationChange, "add", cooperative.region_code),
        "can_award": may_act(user, DemonstrationAward, "add", cooperative.region_code),
    }


def _major_matters(request, *, cooperative, **kwargs) -> dict | None:
    from cooperatives.models import MajorMatter
    from cooperatives.models.common import may_act

    user = request.user
    qs = MajorMatter.objects.for_user(user).filter(cooperative=cooperative)
    return {
        "half": True,
        "matters": list(qs.order_by("-created_at", "-pk")[:5]),
        "count": qs.count(),
        "can_add": may_act(user, MajorMatter, "add", cooperative.region_code),
    }


def _projects(request, *, cooperative, **kwargs) -> dict | None:
    from cooperatives.models import ProjectProposal
    from cooperatives.models.common import may_act

    user = request.user
    qs = ProjectProposal.objects.for_user(user).filter(cooperative=cooperative)
    return {
        "half": True,
        "proposals": list(qs.order_by("-created_at", "-pk")[:5]),
        "count": qs.count(),
        "can_add": may_act(user, ProjectProposal, "add", cooperative.region_code),
    }


def _archive(request, *, cooperative, **kwargs) -> dict | None:
    from cooperatives.choices import SealUseStatus
    from cooperatives.models import ArchivedDocument, SealUse
    from cooperatives.models.common import may_act

    user = request.user
    docs = ArchivedDocument.objects.for_user(user).filter(cooperative=cooperative)
    return {
        "half": True,
        "documents": list(docs.order_by("-doc_date", "-pk")[:5]),
        "document_count": docs.count(),
        "pending_seal_uses": list(
            SealUse.objects.for_user(user)
            .filter(cooperative=cooperative, status=SealUseStatus.PENDING)
            .select_related("handler")
            .order_by("used_on", "pk")[:5]
        ),
        "can_archive": may_act(user, ArchivedDocument, "add", cooperative.region_code),
        "can_log_seal": may_act(user, SealUse, "add", cooperative.region_code),
    }


def register() -> None:
    panels.register(SLOT, Panel("federation", "cooperatives/panels/federation.html", STAFF_ROLES, _federation, 40))
    panels.register(SLOT, Panel("recognition", "cooperatives/panels/recognition.html", STAFF_ROLES, _recognition, 45))
    panels.register(
        SLOT, Panel("major_matters", "cooperatives/panels/major_matters.html", STAFF_ROLES, _major_matters, 50)
    )
    panels.register(SLOT, Panel("projects", "cooperatives/panels/projects.html", STAFF_ROLES, _projects, 55))
    panels.register(SLOT, Panel("archive", "cooperatives/panels/archive.html", STAFF_ROLES, _archive, 60))
