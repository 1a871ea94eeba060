"""Cooperative registry, governance and charter models."""

from cooperatives.models.archive import ArchivedDocument, SealUse
from cooperatives.models.board import BoardMember, BoardTerm
from cooperatives.models.charters import Charter, CharterAttachment, CharterItemReview
from cooperatives.models.classification import ClassificationChange, DemonstrationAward, ProductCertification
from cooperatives.models.federations import FederationMembership
from cooperatives.models.major_matters import MajorMatter, MajorMatterStep
from cooperatives.models.projects import Expert, ExpertReview, ProjectProposal
from cooperatives.models.registry import Cooperative

__all__ = [
    "ArchivedDocument",
    "BoardMember",
    "BoardTerm",
    "Charter",
    "CharterAttachment",
    "CharterItemReview",
    "ClassificationChange",
    "Cooperative",
    "DemonstrationAward",
    "Expert",
    "ExpertReview",
    "FederationMembership",
    "MajorMatter",
    "MajorMatterStep",
    "ProductCertification",
    "ProjectProposal",
    "SealUse",
]
