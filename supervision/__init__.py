"""Supervision (see DESIGN.md: architecture)."""
