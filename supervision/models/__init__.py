"""Models of the supervision app, one module per area."""

from supervision.models.alerts import Alert, AlertRun
from supervision.models.audits import Audit, AuditFinding, RectificationEvidence, SpotCheckDraw
from supervision.models.bulletins import Bulletin
from supervision.models.disclosures import Disclosure
from supervision.models.pairings import Pairing, PairingVisit
from supervision.models.statistics import StatisticsSnapshot, VillageSnapshot

__all__ = [
    "Alert",
    "AlertRun",
    "Audit",
    "AuditFinding",
    "Bulletin",
    "Disclosure",
    "Pairing",
    "PairingVisit",
    "RectificationEvidence",
    "SpotCheckDraw",
    "StatisticsSnapshot",
    "VillageSnapshot",
]
