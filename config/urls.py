"""URL map: pages per app at the root, the API under /api/v1/, schema and docs under /api/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

api_v1 = [
    path("", include("core.api.urls")),
    path("", include("cooperatives.api.urls")),
    path("", include("members.api.urls")),
    path("", include("shares.api.urls")),
    path("", include("finance.api.urls")),
    path("", include("supervision.api.urls")),
    path("", include("dividends.api.urls")),
    path("", include("supervision.api.urls_oversight")),
]

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # the split view serves its init script as a file, so the docs page obeys the CSP too
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("cooperatives/", include("cooperatives.urls")),
    path("members/", include("members.urls")),
    path("shares/", include("shares.urls")),
    path("finance/", include("finance.urls")),
    path("supervision/", include("supervision.urls")),
    path("dividends/", include("dividends.urls")),
    path("supervision/", include("supervision.urls_oversight")),
    path("", include("core.urls")),
]

# MEDIA_URL is served in no mode: uploaded files (bulletins, attachments, rosters) leave only through
# the download views, which check the user's scope.

handler404 = "core.views.errors.not_found"
handler403 = "core.views.errors.permission_denied"
handler500 = "core.views.errors.server_error"
