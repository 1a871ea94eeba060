"""Cooperative registry models."""

from cooperatives.models.board import BoardMember, BoardTerm
from cooperatives.models.charters import Charter, CharterAttachment, CharterItemReview
from cooperatives.models.registry import Cooperative

__all__ = ["BoardMember", "BoardTerm", "Charter", "CharterAttachment", "CharterItemReview", "Cooperative"]
