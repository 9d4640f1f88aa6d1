"""Bearer tokens for the service: any configured token closes writes to anyone without one.

The rule, in one place (docs/configuration.md states it for users):

- writes need the write token (``service.token``); when only a read token is set, writes need
  the read token, so that setting a read token can never leave writes open;
- reads need a token only when ``service.read_token`` is set, and then either token works.
"""

from __future__ import annotations

import hmac

from pydantic import SecretStr


def bearer_matches(authorization: str | None, token: SecretStr) -> bool:
    """Whether the ``Authorization`` header carries ``token``, compared in constant time."""
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.get_secret_value().encode())


def write_guard(token: SecretStr | None, read_token: SecretStr | None) -> SecretStr | None:
    """The token a write must carry: the write token, else the read token, else none."""
    return token if token is not None else read_token


def allowed(
    authorization: str | None, *, write: bool, token: SecretStr | None, read_token: SecretStr | None
) -> bool:
    """Whether a request may go on under the module's rule."""
    if write:
        guard = write_guard(token, read_token)
        return guard is None or bearer_matches(authorization, guard)
    if read_token is None:
        return True
    return bearer_matches(authorization, read_token) or (
        token is not None and bearer_matches(authorization, token)
    )
