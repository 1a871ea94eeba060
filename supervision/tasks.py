"""Celery tasks of the supervision app (autodiscovered); each area keeps its own module."""

from supervision.tasks_oversight import (  # noqa: F401
    alerts_evaluate_cooperative,
    alerts_nightly,
    alerts_on_change,
    disclosure_generate,
    disclosures_quarter_end,
)
