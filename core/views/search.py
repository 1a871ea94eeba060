"""The answer to a search box beside a select (``core.filters.SearchSelect``), shared by every search endpoint."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.filters import SEARCH_BOX, TERM_LENGTH


def search_term(request: HttpRequest, default_box: str) -> tuple[str, str]:
    """The search box asked from (``<field>_q``, ``members-0-cooperative_q`` in a formset row) and its term."""
    box = next((key for key in request.GET if SEARCH_BOX.fullmatch(key)), default_box)
    return box, request.GET.get(box, "")[:TERM_LENGTH]


def search_answer(request: HttpRequest, box: str, options: list[tuple[int, str]], status: str) -> HttpResponse:
    """The select's new ``<option>``s, the first chosen, and ``status`` for the box's live region."""
    context = {"options": options, "status_id": f"{box}-status", "status": status}
    return render(request, "core/includes/search_options.html", context)
