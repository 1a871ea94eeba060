"""Surplus distribution (see DESIGN.md: architecture)."""
