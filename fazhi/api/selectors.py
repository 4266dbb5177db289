"""Reads behind the API's own machinery: bearer-token lookup and a user's token list."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from fazhi.core.models import ApiToken, User
from fazhi.core.permissions import require
from fazhi.core.services import api_token_hash


def token_for_secret(secret: str) -> ApiToken | None:
    """The live token whose secret this is, with its (active) owner, or None.

    Looked up by hash: the database never sees the secret, and a wrong guess costs the
    same one indexed query as a right one.
    """
    if not secret or len(secret) > 200:
        return None
    return (
        ApiToken.objects.select_related("user", "user__organization")
        .filter(
            token_hash=api_token_hash(secret),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


def api_tokens_for(
    user: User, *, search: str = "", active: bool | None = None
) -> QuerySet[ApiToken]:
    """The user's own tokens (nobody lists anyone else's)."""
    require(user, "core.manage_own_api_tokens")
    qs = ApiToken.objects.filter(user=user)
    if search:
        qs = qs.filter(name__icontains=search)
    if active is not None:
        live = {"revoked_at__isnull": True, "expires_at__gt": timezone.now()}
        qs = qs.filter(**live) if active else qs.exclude(**live)
    return qs


def get_api_token_for(user: User, token_id: int) -> ApiToken:
    token = api_tokens_for(user).filter(pk=token_id).first()
    if token is None:
        raise Http404("令牌不存在")
    return token
