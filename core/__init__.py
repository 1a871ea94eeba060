"""The multi-tenant kernel: regions, users and roles, jurisdiction scoping, approvals, money."""
