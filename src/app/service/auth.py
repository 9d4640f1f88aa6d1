"""Bearer tokens for the service: writes need the token when one is configured."""

from __future__ import annotations

import hmac

from pydantic import SecretStr


def bearer_matches(authorization: str | None, token: SecretStr) -> bool:
    """Whether the ``Authorization`` header carries ``token``, compared in constant time."""
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.get_secret_value().encode())


def allowed(
    authorization: str | None, *, write: bool, token: SecretStr | None, read_token: SecretStr | None
) -> bool:
    """Whether a request may go on: writes need ``token``; reads need either, if set."""
    if write:
        return token is None or bearer_matches(authorization, token)
    if read_token is None:
        return True
    return bearer_matches(authorization, read_token) or (
        token is not None and bearer_matches(authorization, token)
    )
