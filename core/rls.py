"""PostgreSQL row-level security: the region-prefix rule repeated inside the database.

The ORM scope (``for_user``) is the exact rule; this is the coarse net under it, so a forgotten
filter still returns nothing foreign.

* Every table of a ``TenantModel`` gets ``ENABLE`` + ``FORCE ROW LEVEL SECURITY`` and one policy:
  a row is visible (and writable) when ``lingban_row_visible(region_code)`` holds (the policy
  inlines it as ``region_code LIKE ANY (<the scope's patterns, computed once per query>)``).
* ``lingban_row_visible`` reads the setting ``lingban.scope``: ``*`` means every row (system work:
  migrations, management commands, Celery beat jobs — set explicitly on every new connection);
  an empty or unset value means no row; otherwise a comma-separated list of region-code prefixes.
  A row whose code is a padded county (``3713230000 00``) or township (``371323104000``) code is
  also visible to users below it, so a township sees its county's expert pool.
* Each web request runs as the unprivileged role ``lingban_app`` (``SET ROLE``) with the request
  user's prefixes, even when the application logs in as a superuser or the table owner, and is
  put back to system scope when the response is done (``RowLevelSecurityMiddleware``).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

SCOPE_SETTING = "lingban.scope"
SYSTEM_SCOPE = "*"
POLICY = "lingban_tenant_scope"

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION lingban_scope_patterns() RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE coalesce(current_setting('lingban.scope', true), '')
    WHEN '*' THEN ARRAY['%']
    WHEN '' THEN ARRAY[]::text[]
    ELSE ARRAY(
      SELECT p || '%' FROM unnest(string_to_array(current_setting('lingban.scope', true), ',')) AS p
      UNION SELECT left(p, 6) || '000000' FROM unnest(string_to_array(current_setting('lingban.scope', true), ',')) AS p
      UNION SELECT left(p, 9) || '000' FROM unnest(string_to_array(current_setting('lingban.scope', true), ',')) AS p
            WHERE length(p) >= 9
    )
  END
$$;

CREATE OR REPLACE FUNCTION lingban_row_visible(code text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT code LIKE ANY (lingban_scope_patterns())
$$;
"""

# The policy compares the row's code with the scope's LIKE patterns. The patterns come from an
# uncorrelated sub-select, which PostgreSQL evaluates once per query (an InitPlan) instead of once
# per row: a function call per row cost about 5 µs, i.e. 0.5 s for a count over 100,000 rows.
# Patterns: "<prefix>%" for each prefix, plus the padded county (6 digits + 000000) and township
# (9 digits + 000) codes above it, so a township sees its county's expert pool.
POLICY_EXPR = "region_code::text LIKE ANY (CAST((SELECT lingban_scope_patterns()) AS text[]))"


# django-pgtrigger's switch (``pgtrigger.ignore``, a setting any session may set) lets a caller skip
# the triggers that keep posted vouchers and ledger entries immutable. Its check is replaced after
# every migration run by one that refuses the switch to the app's role: requests (which run as that
# role) cannot turn the protection off; migrations and maintenance, run as the owner, still can.
IGNORE_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION public._pgtrigger_should_ignore(trigger_name NAME)
RETURNS BOOLEAN AS $$
    DECLARE
        _pgtrigger_ignore TEXT[];
    BEGIN
        IF current_user = '{role}' THEN
            RETURN FALSE;  -- a request: the protection stays on
        END IF;
        BEGIN
            SELECT INTO _pgtrigger_ignore CURRENT_SETTING('pgtrigger.ignore');
            EXCEPTION WHEN OTHERS THEN
        END;
        IF _pgtrigger_ignore IS NOT NULL THEN
            RETURN trigger_name = ANY(_pgtrigger_ignore);
        END IF;
        RETURN FALSE;
    END;
$$ LANGUAGE plpgsql;
"""


def app_role() -> str:
    return getattr(settings, "LINGBAN_DB_APP_ROLE", "lingban_app")


def enabled() -> bool:
    return getattr(settings, "LINGBAN_RLS", True) and connection.vendor == "postgresql"


def tenant_tables() -> list[str]:
    from django.apps import apps

    from core.models import TenantModel

    return sorted(
        m._meta.db_table
        for m in apps.get_models()
        if issubclass(m, TenantModel) and not m._meta.proxy and m._meta.managed
    )


def install(using=None) -> None:
    """Create the role, the function, the grants and one policy per tenant table (idempotent)."""
    from django.db import connections

    conn = connections[using or "default"]
    if conn.vendor != "postgresql" or not getattr(settings, "LINGBAN_RLS", True):
        return
    role = app_role()
    with conn.cursor() as cur:
        cur.execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = %s) THEN "
            f'CREATE ROLE "{role}" NOLOGIN; END IF; END $$;',
            [role],
        )
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cur.fetchone()[0]:
            cur.execute(f'GRANT "{role}" TO CURRENT_USER')
        cur.execute(FUNCTION_SQL)
        cur.execute(IGNORE_FUNCTION_SQL.format(role=role))
        cur.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
        cur.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"')
        cur.execute(f'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
        cur.execute(f'GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO "{role}"')
        for table in tenant_tables():
            cur.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
            cur.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
            cur.execute(f'DROP POLICY IF EXISTS {POLICY} ON "{table}"')
            cur.execute(f'CREATE POLICY {POLICY} ON "{table}" USING ({POLICY_EXPR}) WITH CHECK ({POLICY_EXPR})')


def on_post_migrate(sender, using="default", **kwargs) -> None:
    # post_migrate is sent once per app after the whole migration run: every table exists by then
    if sender.name == "core":
        install(using)


def on_connection_created(sender, connection, **kwargs) -> None:
    """New connections start in system scope; requests narrow it (see the middleware)."""
    if connection.vendor == "postgresql" and getattr(settings, "LINGBAN_RLS", True):
        with connection.cursor() as cur:
            cur.execute("SELECT set_config(%s, %s, false)", [SCOPE_SETTING, SYSTEM_SCOPE])


def scope_for(user) -> str:
    """The prefixes a request of ``user`` may touch: all roles' prefixes plus object grants."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ""
    if user.is_superuser:
        return SYSTEM_SCOPE
    prefixes = set(user.jurisdiction.prefixes())
    prefixes |= _object_grant_codes(user)
    return ",".join(sorted(prefixes))


def _object_grant_codes(user) -> set[str]:
    """Region codes of rows granted to the user object by object (django-guardian)."""
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    grants = list(UserObjectPermission.objects.filter(user=user).values_list("content_type_id", "object_pk"))
    # share the lookup with for_user (core.tenancy), which would otherwise ask again
    user._object_grant_ctypes = {ctype_id for ctype_id, _ in grants}
    codes: set[str] = set()
    by_type: dict[int, list[str]] = {}
    for ctype_id, pk in grants:
        by_type.setdefault(ctype_id, []).append(pk)
    for ctype_id, pks in by_type.items():
        model = ContentType.objects.get_for_id(ctype_id).model_class()
        if model is not None and hasattr(model, "region_code"):
            codes |= set(model._base_manager.filter(pk__in=pks).values_list("region_code", flat=True))
    return codes


def enter_request_scope(scope: str) -> None:
    with connection.cursor() as cur:
        cur.execute(f'SET ROLE "{app_role()}"; SELECT set_config(%s, %s, false)', [SCOPE_SETTING, scope])


def leave_request_scope() -> None:
    try:
        with connection.cursor() as cur:
            cur.execute("RESET ROLE; SELECT set_config(%s, %s, false)", [SCOPE_SETTING, SYSTEM_SCOPE])
    except Exception:  # a broken connection must not keep the request's role: drop it
        logger.warning("core.rls.reset_failed", exc_info=True)
        if not connection.in_atomic_block:
            connection.close()
