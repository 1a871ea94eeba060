"""Pages of the cooperatives app."""

from cooperatives.views.registry import (
    CooperativeCreateView,
    CooperativeDetailView,
    CooperativeListView,
    CooperativeUpdateView,
)

__all__ = ["CooperativeCreateView", "CooperativeDetailView", "CooperativeListView", "CooperativeUpdateView"]
