"""Models of the supervision app, one module per area."""

from supervision.models.alerts import Alert, AlertRun
from supervision.models.audits import Audit, AuditFinding, RectificationEvidence, SpotCheckDraw
from supervision.models.disclosures import Disclosure

__all__ = [
    "Alert",
    "AlertRun",
    "Audit",
    "AuditFinding",
    "Disclosure",
    "RectificationEvidence",
    "SpotCheckDraw",
]
