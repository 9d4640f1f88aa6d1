"""``hexstudio migration status|check``: a running service's migration, and the promotion gate.

Both read ``GET /_migration`` of the service (``app.service.migration_status``), so what they
show is what the service measured on live traffic, not a local guess.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import httpx
import typer

from app.cli._run import EXIT_BAD_INPUT, EXIT_SOURCE_FAILURE, fail

ServiceUrl = Annotated[
    str,
    typer.Option(
        "--service-url", metavar="URL", help="The running service, e.g. http://127.0.0.1:8000."
    ),
]
Token = Annotated[
    str | None, typer.Option(metavar="TOKEN", help="Bearer token (a read token will do).")
]


def _report(url: str, token: str | None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        response = httpx.get(f"{url.rstrip('/')}/_migration", headers=headers, timeout=10)
    except httpx.HTTPError as exc:
        fail(f"{url}: no answer ({type(exc).__name__})", EXIT_SOURCE_FAILURE)
    if response.status_code != 200:
        fail(f"{url}/_migration answered {response.status_code}", EXIT_SOURCE_FAILURE)
    found: dict[str, Any] = response.json()
    return found


def status(
    service_url: ServiceUrl = "http://127.0.0.1:8000",
    token: Token = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Print each repository's route, shadow figures and fallbacks, the breakers and mirrors."""
    report = _report(service_url, token)
    if as_json:
        typer.echo(json.dumps(report, indent=2, sort_keys=True))
        return
    for name, figures in report["repositories"].items():
        typer.echo(f"{name}: {figures['route']}")
        if figures["comparisons"] or figures["shadow_failures"] or figures["shed"]:
            typer.echo(
                f"  shadow: {figures['comparisons']} compared, {figures['mismatches']} differed"
                f" ({figures['mismatch_rate']:.2%}; noise {figures['noise_rate']:.2%}),"
                f" {figures['shadow_failures']} failed, {figures['shed']} shed"
            )
        if figures["fallbacks"]:
            typer.echo(f"  fallbacks: {figures['fallbacks']}")
    for source, breaker in report["breakers"].items():
        typer.echo(f"breaker {source}: {breaker['state']} ({breaker['transitions']} transitions)")
    for mirror, relay in report.get("mirrors", {}).items():
        error = f", last error: {relay['last_error']}" if relay["last_error"] else ""
        typer.echo(
            f"mirror {mirror}: {relay['pending']} pending, {relay['applied']} applied{error}"
        )
    for difference in report["differences"][-5:]:
        paths = ", ".join(difference["paths"])
        typer.echo(
            f"differs: {difference['repository']} {difference['operation']} "
            f"{difference['subject']}: {paths}"
        )


def check(
    repository: Annotated[str, typer.Argument(help="The repository to promote (movies).")],
    to: Annotated[str, typer.Option("--to", metavar="SOURCE", help="The source it moves to.")],
    service_url: ServiceUrl = "http://127.0.0.1:8000",
    token: Token = None,
    max_mismatch_rate: Annotated[
        float, typer.Option(min=0, max=1, metavar="RATE", help="Most mismatches per comparison.")
    ] = 0.001,
    min_comparisons: Annotated[
        int, typer.Option(min=1, metavar="N", help="Fewest shadow comparisons to judge by.")
    ] = 1000,
) -> None:
    """Exit 0 only if REPOSITORY's shadow on SOURCE agrees often enough, over enough reads.

    The rate judged is the mismatch rate above the noise (the primary disagreeing with
    itself), over at least N comparisons.
    """
    report = _report(service_url, token)
    figures = report["repositories"].get(repository)
    if figures is None:
        choices = ", ".join(report["repositories"])
        fail(f"{repository}: unknown repository (choices: {choices})", EXIT_BAD_INPUT)
    if f"shadow {to} " not in figures["route"]:
        fail(f"{repository}: no shadow on {to} ({figures['route']})", EXIT_SOURCE_FAILURE)
    excess = max(0.0, figures["mismatch_rate"] - figures["noise_rate"])
    verdict = (
        f"{repository} -> {to}: {figures['comparisons']} comparisons, mismatch rate "
        f"{figures['mismatch_rate']:.3%} (noise {figures['noise_rate']:.3%})"
    )
    if figures["comparisons"] < min_comparisons:
        fail(f"{verdict}: fewer than {min_comparisons}; keep shadowing", EXIT_SOURCE_FAILURE)
    if excess > max_mismatch_rate:
        fail(f"{verdict}: over {max_mismatch_rate:.3%}; do not promote", EXIT_SOURCE_FAILURE)
    typer.echo(f"{verdict}: ready to promote")
