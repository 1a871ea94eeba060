"""Cooperative registry models."""

from cooperatives.models.registry import Cooperative

__all__ = ["Cooperative"]
