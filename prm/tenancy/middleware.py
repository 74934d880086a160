"""Portal pages under /t/<tenant>/ run inside their tenant's scope.

API views resolve the tenant themselves in ``prm.api.views.TenantViewMixin``
(token authentication happens inside DRF, after middleware).
"""

from django.contrib.auth.views import redirect_to_login
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.urls import Resolver404, resolve
from psycopg2.extensions import TRANSACTION_STATUS_INERROR
from rest_framework.views import APIView

from .access import tenant_access_for
from .context import enter_tenant, leave, reset_scope, restore_scope


class TenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant_access = None
        request.tenant = None
        # every request starts with no tenant in scope, whatever ran before on this thread
        token = reset_scope()
        try:
            return self.get_response(request)
        finally:
            scope = getattr(request, "_tenant_scope", None)
            if scope is not None:
                leave(scope)
            restore_scope(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.get("tenant")
        if slug is None or _is_api_view(view_func):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        access = tenant_access_for(request.user, slug)
        request.tenant_access = access
        request.tenant = access.tenant
        request._tenant_scope = enter_tenant(access.tenant, access.partner_id)
        return None


def _is_api_view(view_func) -> bool:
    view_class = getattr(view_func, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


class ReadTransactionMiddleware:
    """Each read (GET, HEAD) runs in one database transaction, from the session's lookup to the last
    query of the view: the tenant scope is written once into it (``dbscope``) instead of into a
    transaction of its own for every statement, which a pooler in transaction mode needs
    (``docs/deployment.md``). An exception that escapes rolls it back.

    Writes (POST, PATCH, PUT, DELETE) keep Django's autocommit on purpose: what they hand to the job
    queue is sent when their own transactions commit, inside the request, so a queue that cannot be
    reached is answered 503 there (``prm.jobs.services.job_start``); and an answer such as 401 or
    429 keeps what led to it (a failed sign-in counted, an expired token recorded). A view that
    touches no database (``transaction.non_atomic_requests``) gets no transaction either. A
    streamed response is read after the transaction: its statements carry their scope one by one.
    """

    SAFE = ("GET", "HEAD")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.SAFE or _touches_no_database(request.path_info):
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            if _aborted():  # a database error the view answered (a 409, say): nothing to commit
                transaction.set_rollback(True)
            return response


def _aborted() -> bool:
    """Whether the default connection's transaction failed (PostgreSQL refuses all but a rollback)."""
    raw = connection.connection
    return raw is not None and raw.get_transaction_status() == TRANSACTION_STATUS_INERROR


def _touches_no_database(path: str) -> bool:
    try:
        view = resolve(path).func
    except Resolver404:
        return False
    return DEFAULT_DB_ALIAS in getattr(view, "_non_atomic_requests", ())
