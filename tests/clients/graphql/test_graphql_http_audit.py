"""graphql-http's server audit, the GraphQL over HTTP spec's own checks, against the live service.

The audit only reads (``{ __typename }``, introspection of one type), so the service's write
token does not matter; a mutation it sends over GET must be refused anyway.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.clients.graphql.node import run_script
from tests.support.live_service import LiveService

pytestmark = pytest.mark.server

MIN_AUDITS = 40
"""graphql-http 1.23 runs 61; fewer means the audit ran only in part."""


def test_happy_path_no_must_or_should_of_the_graphql_http_audit_fails_or_warns(
    live: LiveService,
) -> None:
    report = run_script("audit.mjs", f"{live.base_url}/graphql")
    assert len(report) >= MIN_AUDITS, report
    # MAY audits are notices: GET is off outside debug, which the spec allows.
    failed = [
        f"{audit['id']} {audit['status']}: {audit['name']} ({audit['reason']})"
        for audit in report
        if audit["status"] != "ok" and not audit["name"].startswith("MAY")
    ]
    assert not failed, "\n".join(failed)
    statuses = Counter(audit["status"] for audit in report)
    assert statuses["error"] == statuses["warn"] == 0
