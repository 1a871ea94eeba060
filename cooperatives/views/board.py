"""Board, supervisory board and cross-serving: the terms page of a cooperative and its forms."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from cooperatives.forms import BoardMemberForm, BoardTermForm
from cooperatives.models import BoardMember, BoardTerm, Cooperative
from cooperatives.selectors import board_overview
from cooperatives.services.board import (
    MEMBER_FIELDS,
    TERM_FIELDS,
    board_member_create,
    board_member_delete,
    board_member_update,
    board_term_create,
    board_term_delete,
    board_term_update,
)
from cooperatives.views.base import ScopedObjectMixin, ServiceActionView, ServiceFormView
from core.choices import STAFF_ROLES, Role
from core.tenancy import VILLAGE_WRITERS


def board_url(cooperative_id: int) -> str:
    return reverse("cooperatives:board", args=[cooperative_id])


def may_keep_board(user, region_code: str) -> bool:
    return user.is_superuser or user.jurisdiction.covers(region_code, BoardTerm.tenancy.roles_for("change"))


class BoardView(ScopedObjectMixin, TemplateView):
    """Every term of the board and of the supervisory side, with the people on them."""

    model = Cooperative
    allowed_roles = STAFF_ROLES | {Role.MEMBER}
    template_name = "cooperatives/boardterm_list.html"

    def get(self, request, *args, **kwargs):
        self._load()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().select_related("village__parent")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        coop = self.object
        user = self.request.user
        ctx["cooperative"] = coop
        ctx["terms"] = (
            BoardTerm.objects.for_user(user)
            .filter(cooperative=coop)
            .prefetch_related("members")
            .order_by("body", "-start_date")
        )
        ctx["can_change"] = may_keep_board(user, coop.region_code)
        ctx["overview"] = {
            **board_overview(cooperative=coop, user=user),
            "cooperative": coop,
            "can_change": ctx["can_change"],
            "on_board_page": True,
        }
        return ctx


class _BoardFormView(ServiceFormView):
    allowed_roles = VILLAGE_WRITERS
    success_message = ""

    def get_success_url_for(self, result) -> str:
        return board_url(result.cooperative_id)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["cooperative"] = self.cooperative()
        ctx["title"] = self.title
        ctx["back_url"] = board_url(ctx["cooperative"].pk)
        return ctx


class BoardTermCreateView(_BoardFormView):
    model = Cooperative
    form_class = BoardTermForm
    template_name = "cooperatives/boardterm_form.html"
    title = gettext_lazy("New term")

    def cooperative(self):
        return self.object

    def perform(self, form):
        data = {k: form.cleaned_data[k] for k in TERM_FIELDS}
        return board_term_create(actor=self.request.user, cooperative=self.object, **data)


class BoardTermUpdateView(_BoardFormView):
    model = BoardTerm
    form_class = BoardTermForm
    template_name = "cooperatives/boardterm_form.html"
    title = gettext_lazy("Edit term")

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative")

    def cooperative(self):
        return self.object.cooperative

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def perform(self, form):
        data = {k: form.cleaned_data[k] for k in TERM_FIELDS}
        return board_term_update(actor=self.request.user, term=self.object, **data)


class BoardTermDeleteView(ServiceActionView):
    model = BoardTerm
    allowed_roles = VILLAGE_WRITERS

    def redirect_url(self) -> str:
        return board_url(self.object.cooperative_id)

    def perform(self):
        board_term_delete(actor=self.request.user, term=self.object)
        self.success_message = _("The term was deleted.")


class BoardMemberCreateView(_BoardFormView):
    model = BoardTerm
    form_class = BoardMemberForm
    template_name = "cooperatives/boardmember_form.html"
    title = gettext_lazy("Add a person to the term")

    def get_queryset(self):
        return super().get_queryset().select_related("cooperative")

    def cooperative(self):
        return self.object.cooperative

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "term": self.object}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "term": self.object}

    def perform(self, form):
        data = {k: form.cleaned_data[k] for k in MEMBER_FIELDS}
        return board_member_create(actor=self.request.user, term=self.object, **data)


class BoardMemberUpdateView(_BoardFormView):
    model = BoardMember
    form_class = BoardMemberForm
    template_name = "cooperatives/boardmember_form.html"
    title = gettext_lazy("Edit a person on the term")

    def get_queryset(self):
        return super().get_queryset().select_related("term__cooperative")

    def cooperative(self):
        return self.object.term.cooperative

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "term": self.object.term, "instance": self.object}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "term": self.object.term}

    def perform(self, form):
        data = {k: form.cleaned_data[k] for k in MEMBER_FIELDS}
        return board_member_update(actor=self.request.user, member=self.object, **data)


class BoardMemberDeleteView(ServiceActionView):
    model = BoardMember
    allowed_roles = VILLAGE_WRITERS

    def redirect_url(self) -> str:
        return board_url(self.object.cooperative_id)

    def perform(self):
        board_member_delete(actor=self.request.user, member=self.object)
        self.success_message = _("%(name)s was taken off the term.") % {"name": self.object.name}
