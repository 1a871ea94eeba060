"""Services of the dividends app: every write and every rule."""
