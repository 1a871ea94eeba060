from supervision.models.bulletins import Bulletin
from supervision.models.pairings import Pairing, PairingVisit
from supervision.models.statistics import StatisticsSnapshot, VillageSnapshot

__all__ = ["Bulletin", "Pairing", "PairingVisit", "StatisticsSnapshot", "VillageSnapshot"]
