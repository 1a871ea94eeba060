"""Reads of the finance app that are more than a filter."""
