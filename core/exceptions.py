"""Business errors: a stable machine-readable code and a message a person can act on.

Services raise them; the API turns them into ``{"code": ..., "detail": ...}`` with status 400
(or 409 for a state conflict), and pages show the message next to the form.
"""

from __future__ import annotations


class BusinessError(Exception):
    """A rule refused the operation; nothing was written."""

    code = "invalid"
    status_code = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None, params=None):
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
        self.field = field
        self.params = params or {}

    def __str__(self) -> str:
        return self.message


class StateConflict(BusinessError):
    """The object is not in a state that allows the operation (e.g. approving a draft)."""

    code = "invalid_state"
    status_code = 409


class NotPermitted(BusinessError):
    """The actor may see the object but the operation is not theirs to perform."""

    code = "not_permitted"
    status_code = 403


class WebhookError(Exception):
    """A group robot did not take a message (network, HTTP status, or the robot's own error code)."""
