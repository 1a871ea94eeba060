"""Settings modules: ``dev`` (default for manage.py), ``test`` (pytest) and ``production``."""
