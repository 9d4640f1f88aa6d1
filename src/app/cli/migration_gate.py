"""``hexstudio migration status|check``: a running service's migration, and the promotion gate.

Both read ``GET /_migration`` of the service (``app.service.migration_status``), so what they
show is what the service measured on live traffic, not a local guess. ``check`` then checks the
target source itself (``app.cli.migration_target``): read-only kit checks and its pact.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from adapters.testing.live import SAMPLE
from app.cli._run import EXIT_BAD_INPUT, EXIT_SOURCE_FAILURE, fail, run
from app.cli.migration_target import Line, Verdict, kit_lines, load_target, pact_lines
from app.contracts.verify import default_pact_dir

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
    if report.get("shadow_worker_deaths"):
        typer.echo(f"shadow worker: died {report['shadow_worker_deaths']} times (restarted)")
    for difference in report["differences"][-5:]:
        paths = ", ".join(difference["paths"])
        typer.echo(
            f"differs: {difference['repository']} {difference['operation']} "
            f"{difference['subject']}: {paths}"
        )


EXIT_NOT_ENOUGH = 3
"""``migration check``: nothing failed, but the shadow has not compared enough reads yet."""


def _shadow_lines(
    repository: str, to: str, figures: dict[str, Any], max_rate: float, least: int
) -> list[Line]:
    """The two shadow checks: enough comparisons, and a mismatch rate over the noise low enough."""
    count = figures["comparisons"]
    enough = Line(
        Verdict.PASS if count >= least else Verdict.FAIL,
        "shadow comparisons",
        f"{count} {'(at least' if count >= least else 'of the'} {least}"
        + (")" if count >= least else " needed; keep shadowing"),
    )
    excess = max(0.0, figures["mismatch_rate"] - figures["noise_rate"])
    rate = (
        f"{figures['mismatch_rate']:.3%} (noise {figures['noise_rate']:.3%}) {repository} -> {to}"
    )
    judged = Line(
        Verdict.PASS if excess <= max_rate else Verdict.FAIL,
        "shadow mismatch rate",
        f"{rate}, {'within' if excess <= max_rate else 'over'} {max_rate:.3%} above the noise",
    )
    return [enough, judged]


def check(
    repository: Annotated[str, typer.Argument(help="The repository to promote (movies).")],
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="SOURCE",
            help="The source it moves to: the shadow's name in the service, and the "
            r"\[data_source.SOURCE] of --config that the target checks build.",
        ),
    ],
    service_url: ServiceUrl = "http://127.0.0.1:8000",
    token: Token = None,
    max_mismatch_rate: Annotated[
        float, typer.Option(min=0, max=1, metavar="RATE", help="Most mismatches per comparison.")
    ] = 0.001,
    min_comparisons: Annotated[
        int, typer.Option(min=1, metavar="N", help="Fewest shadow comparisons to judge by.")
    ] = 1000,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="FILE",
            help="The configuration the target comes from (default: $HEXSTUDIO_CONFIG, "
            "else ./hexstudio.toml, as every command).",
        ),
    ] = None,
    sample: Annotated[
        int,
        typer.Option(min=1, metavar="N", help="Entities of each type the read checks read."),
    ] = SAMPLE,
    pacts: Annotated[
        Path | None,
        typer.Option(metavar="FILE_OR_FOLDER", help="Pact files (default: the committed ones)."),
    ] = None,
    pact_provider_url: Annotated[
        str | None,
        typer.Option(
            metavar="URL",
            help="Where to verify the pact (default: the target's url): a deployment of the "
            "same build with its state endpoint on, since verifying writes the pact's examples.",
        ),
    ] = None,
    pact_token: Annotated[
        str | None,
        typer.Option(metavar="TOKEN", help="The provider's write token (default: the target's)."),
    ] = None,
    skip_kit: Annotated[
        bool, typer.Option("--skip-kit", help="Do not run the read checks (shown as SKIP).")
    ] = False,
    skip_pact: Annotated[
        bool, typer.Option("--skip-pact", help="Do not verify the pact (shown as SKIP).")
    ] = False,
) -> None:
    r"""Exit 0 only if REPOSITORY may move to SOURCE: shadow figures, read checks, pact.

    One line per check: PASS, FAIL, SKIP (an option said so) or N/A (nothing to check). The
    shadow figures are the running service's; the kit's checks only read the target, built
    from \[data_source.SOURCE] of --config; the pact needs a provider with its state endpoint
    on, which a production service has off: name a deployment of the same build with
    --pact-provider-url.

    Exit 0: every check passed (skipped ones aside); 1: a check failed; 3: nothing failed but
    there are fewer than N comparisons yet; 2: bad input. Each check: docs/migrations.md,
    "The promotion gate".
    """
    report = _report(service_url, token)
    figures = report["repositories"].get(repository)
    if figures is None:
        choices = ", ".join(report["repositories"])
        fail(f"{repository}: unknown repository (choices: {choices})", EXIT_BAD_INPUT)
    if f"shadow {to} " not in figures["route"]:
        fail(f"{repository}: no shadow on {to} ({figures['route']})", EXIT_SOURCE_FAILURE)
    target = run(load_target(to, config))
    lines = _shadow_lines(repository, to, figures, max_mismatch_rate, min_comparisons)
    for line in lines:
        typer.echo(line.render())
    skipped = [Line(Verdict.SKIP, "kit", "--skip-kit")]
    kit = skipped if skip_kit else run(kit_lines(target, sample))
    for line in kit:
        typer.echo(line.render())
    if skip_pact:
        pact = [Line(Verdict.SKIP, "pact", "--skip-pact")]
    else:
        pact = pact_lines(target, pacts or default_pact_dir(), pact_provider_url, pact_token)
    for line in pact:
        typer.echo(line.render())
    enough, *others = [*lines, *kit, *pact]
    failed = sum(line.verdict is Verdict.FAIL for line in others)
    if failed:
        fail(f"{repository} -> {to}: {failed} check(s) failed; do not promote", EXIT_SOURCE_FAILURE)
    if enough.verdict is Verdict.FAIL:
        fail(f"{repository} -> {to}: not enough comparisons yet; keep shadowing", EXIT_NOT_ENOUGH)
    typer.echo(f"{repository} -> {to}: ready to promote")
