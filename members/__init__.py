"""Members (see DESIGN.md: architecture)."""
