"""The capped paginator now lives in ``core.paginators`` (every long list uses it)."""

from core.paginators import CAP, CappedPaginator

__all__ = ["CAP", "CappedPaginator"]
