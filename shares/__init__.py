"""Shares (see DESIGN.md: architecture)."""
