"""Cooperative services: every write of the cooperatives app goes through these functions."""
