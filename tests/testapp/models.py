from django.db import models

from core.models import TenantModel


class Document(TenantModel):
    """A village document that goes through approval; its status follows the decisions."""

    title = models.CharField(max_length=100)
    amount = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    status = models.CharField(max_length=20, default="draft")
    decisions = models.JSONField(default=list)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title
