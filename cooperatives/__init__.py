"""Cooperatives (see DESIGN.md: architecture)."""
