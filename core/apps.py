from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Platform kernel")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from core import navigation, rls

        navigation.register_core_items()
        post_migrate.connect(rls.on_post_migrate, dispatch_uid="core.rls.install")
        connection_created.connect(rls.on_connection_created, dispatch_uid="core.rls.system_scope")
        from core.services.tokens import on_session_logout

        user_logged_out.connect(on_session_logout, dispatch_uid="core.tokens.session_logout")
