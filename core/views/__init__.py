"""Kernel pages: home, region switcher, approvals, regions."""

from core.views.approvals import ApprovalActionView, ApprovalDetailView, ApprovalListView
from core.views.home import HomeView, ScopeSwitchView
from core.views.regions import RegionListView, RegionSearchView

__all__ = [
    "ApprovalActionView",
    "ApprovalDetailView",
    "ApprovalListView",
    "HomeView",
    "RegionListView",
    "RegionSearchView",
    "ScopeSwitchView",
]
