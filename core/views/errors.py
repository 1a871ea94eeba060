"""Error pages: HTML for people, the JSON error envelope for anything under /api/."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"code": "not_found", "detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"code": "server_error", "detail": _("Something went wrong on our side.")}, status=500)
    return defaults.server_error(request)


def permission_denied(request, exception=None):
    if _is_api(request):
        return JsonResponse({"code": "permission_denied", "detail": _("You may not do this.")}, status=403)
    return defaults.permission_denied(request, exception)
