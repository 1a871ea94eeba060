"""Every write of the finance app (pages and API call these)."""
