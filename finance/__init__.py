"""Finance (see DESIGN.md: architecture)."""
