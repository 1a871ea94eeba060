"""Kernel services: every write of the kernel goes through one of these functions."""
