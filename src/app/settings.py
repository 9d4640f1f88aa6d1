"""Settings: environment (``HEXSTUDIO_`` prefix, ``__`` nesting) over a TOML file over defaults."""

from __future__ import annotations

import ipaddress
import logging
import os
import stat
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import ErrorDetails
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)

from adapters.redact import contains_secret, mask
from app.errors import ConfigError

DEFAULT_CONFIG_FILE = "hexstudio.toml"

logger = logging.getLogger(__name__)


class DataSourceSection(BaseModel):
    """``[data_source]``: the default source and one options table per source name."""

    model_config = ConfigDict(extra="allow")

    default: str = "sql"

    def options(self, name: str) -> dict[str, Any]:
        """The options table of the source ``name`` (empty when not configured)."""
        value = (self.model_extra or {}).get(name, {})
        if not isinstance(value, dict):
            shown = mask(f"data_source.{name}", value)
            raise ConfigError(f"data_source.{name}: expected a table of options, got {shown!r}")
        return value


Seconds = Annotated[float, Field(gt=0, le=3600)]
"""A bound on a wait, in seconds: positive (none means unbounded, which is what they fix)."""


def _public_url(value: str) -> str:
    """An http(s) URL with a host and no query or fragment, without its trailing slash."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError("expected an http(s) URL such as https://studio.example.com")
    return value.rstrip("/")


def _proxy_address(value: str) -> str:
    """An IP address, a network (``10.0.0.0/8``) or ``*``."""
    if value != "*":
        ipaddress.ip_network(value, strict=False)  # ValueError names the bad value
    return value


PublicUrl = Annotated[str, AfterValidator(_public_url)]
ProxyAddress = Annotated[str, AfterValidator(_proxy_address)]


class ServiceSection(BaseModel):
    """``[service]``: the reference provider service."""

    model_config = ConfigDict(extra="forbid")

    data_source: str = "sql"
    """The data source the service serves (the provider side of the HTTP contracts)."""
    token: SecretStr | None = None
    """When set, every write needs ``Authorization: Bearer <token>``."""
    read_token: SecretStr | None = None
    """When set, reads need it too (the write token is accepted for reads as well)."""
    debug: bool = False
    max_body_bytes: int = 1_048_576
    cors_origins: list[str] = []
    keep_alive_seconds: Seconds = 5.0
    """How long a connection may idle between requests before the server closes it."""
    body_timeout_seconds: Seconds = 30.0
    """How long a request's whole body may take to arrive (from the request's start): 408."""
    graceful_shutdown_seconds: Seconds = 10.0
    """How long a stopping server waits for open requests before it cancels them."""
    public_url: PublicUrl | None = None
    """Where clients reach the service (``https://studio.example.com``): every link starts there.

    Unset, links start with the request's scheme and host, when the service trusts that host."""
    allowed_hosts: list[str] = []
    """Host names served besides localhost, the loopback and bound addresses and public_url's
    host (``*.example.com`` for subdomains, ``*`` for any): any other Host gets 400."""
    forwarded_allow_ips: list[ProxyAddress] = []
    """Proxies (addresses or networks, ``*`` for any) whose X-Forwarded-Proto and -Host count."""
    require_versions: bool = False
    """When true, a PATCH or DELETE needs If-Match or ``meta.version`` (else 428)."""
    provider_states: bool = False
    """When true, ``POST /_pact/provider_states`` sets Pact provider states (write token needed).

    For verifying the contracts only: a state rewrites the contract's example entities."""


def _otlp_endpoint(value: str) -> str:
    """An http(s) URL with a host and no query or fragment, without its trailing slash."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError("expected the collector's http(s) URL, such as http://127.0.0.1:4318")
    return value.rstrip("/")


OtlpEndpoint = Annotated[str, AfterValidator(_otlp_endpoint)]


class TelemetrySection(BaseModel):
    """``[telemetry]``: a span and a timing per port call, and ``/metrics`` on the service."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = False
    """When true, every port call is traced and timed (needs the ``telemetry`` extra); when
    false nothing of it is installed at all."""
    exporter: Literal["none", "otlp"] = "none"
    """Where spans go: ``none``, OpenTelemetry's global tracer provider (what
    ``opentelemetry-instrument`` or the embedding app set up); ``otlp``, a provider of the
    container's own that sends them to ``endpoint`` over OTLP/HTTP (the ``otlp`` extra)."""
    endpoint: OtlpEndpoint | None = None
    """The collector's OTLP/HTTP base URL (``/v1/traces`` is added); unset, the exporter's own
    default: ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``, ``OTEL_EXPORTER_OTLP_ENDPOINT``, else
    http://localhost:4318."""
    sample_rate: Annotated[float, Field(ge=0, le=1)] = 1.0
    """The share of traces the ``otlp`` exporter records (parent-based: a trace whose caller
    sampled it is recorded whole); the metrics count every call whatever it is."""
    service_name: Annotated[str, Field(min_length=1)] = "hexstudio"
    """The ``service.name`` of the spans the ``otlp`` exporter sends."""
    export_timeout_seconds: Seconds = 10.0
    """How long one export may take, retries included: also the longest a collector that does
    not answer delays a container's stop (``hexstudio serve``'s start check is one too)."""

    @field_validator("exporter")
    @classmethod
    def _exporter_needs_enabled(cls, value: str, info: ValidationInfo) -> str:
        if value != "none" and not info.data.get("enabled"):
            raise ValueError(
                f"{value!r} needs telemetry.enabled = true (HEXSTUDIO_TELEMETRY__ENABLED=true)"
            )
        return value


class MigrationSection(BaseModel):
    """``[migration]``: how the migration's work off the request's path runs."""

    model_config = ConfigDict(extra="forbid")

    shadow_worker: Literal["in_loop", "process"] = "in_loop"
    """Where shadow reads run: ``in_loop``, as tasks on the service's own event loop (any
    source, memory ones and test doubles too; the shadow's CPU slows the callers), or
    ``process``, in a worker process that builds the sources from this configuration (what a
    service under load wants; not for memory sources, whose data is this process's own)."""


class Settings(BaseSettings):
    """The whole configuration; build it with ``load_settings()``."""

    model_config = SettingsConfigDict(
        env_prefix="HEXSTUDIO_", env_nested_delimiter="__", extra="forbid"
    )

    domain: str = "studio"
    """The domain every command uses: a name of the ``hexstudio.domains`` entry points."""
    data_source: DataSourceSection = DataSourceSection()
    repositories: dict[str, Any] = {}
    service: ServiceSection = ServiceSection()
    telemetry: TelemetrySection = TelemetrySection()
    migration: MigrationSection = MigrationSection()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, then environment, then the TOML file, then defaults."""
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, config_file()))


def config_file() -> Path:
    """The TOML file read: ``$HEXSTUDIO_CONFIG`` or ``./hexstudio.toml`` (may not exist)."""
    return Path(os.environ.get("HEXSTUDIO_CONFIG") or DEFAULT_CONFIG_FILE)


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, or raise ConfigError naming the bad key and value (or file)."""
    path = config_file()
    present = _check_config_file(path, explicit=bool(os.environ.get("HEXSTUDIO_CONFIG")))
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(_problem(err) for err in exc.errors(include_url=False))
        raise ConfigError(f"invalid configuration: {problems}") from None
    except SettingsError as exc:  # an environment variable that is not the JSON it must be
        raise ConfigError(str(exc)) from None
    except ValueError as exc:  # a malformed TOML file
        raise ConfigError(f"{path}: {exc}") from None
    except OSError as exc:  # e.g. a file this user may not read
        raise ConfigError(f"{path}: cannot read it ({exc.strerror})") from None
    if present:
        _warn_if_exposed(path)
    return settings


def _check_config_file(path: Path, *, explicit: bool) -> bool:
    """Whether there is a file to read; ConfigError when what stands there is not one.

    Skipping a dangling symlink or a directory would run the service on the defaults, which
    means without a token: a mistake that must not pass silently.
    """
    if path.is_file():
        return True
    label = f"HEXSTUDIO_CONFIG={path}" if explicit else str(path)
    if path.is_symlink():  # is_file() follows the link: this one leads nowhere
        target = os.readlink(path)
        raise ConfigError(f"{label}: a symlink to {target!r}, which does not exist")
    if path.is_dir():
        raise ConfigError(f"{label}: a directory, not a TOML file")
    if path.exists():
        raise ConfigError(f"{label}: not a regular file")
    if explicit:
        raise ConfigError(f"{label}: no such file")
    return False


_WARNED: set[tuple[Path, int]] = set()
"""Files (and modes) already warned about: one warning per process, not one per load."""


def _warn_if_exposed(path: Path) -> None:
    """Warn when anyone may rewrite ``path``, or read the token or password in it."""
    if os.name != "posix":  # the mode bits below mean nothing elsewhere
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & stat.S_IWOTH:
        problem = "is world-writable: anyone on this machine can change the configuration"
    elif mode & stat.S_IROTH and _holds_secret(path):
        problem = "holds a token or password and is world-readable"
    else:
        return
    if (path.resolve(), mode) in _WARNED:
        return
    _WARNED.add((path.resolve(), mode))
    logger.warning("%s %s (mode %04o): chmod o-rwx %s", path, problem, mode, path)


def _holds_secret(path: Path) -> bool:
    """Whether the TOML file has a value ``config show`` would mask (the same rule)."""
    with path.open("rb") as file:
        return contains_secret("", tomllib.load(file))


def _problem(error: ErrorDetails) -> str:
    """One validation error as ``key: what is wrong (got value)``, the value masked."""
    key = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        # Never the value: ``service.tokn`` holds a token all the same.
        choices = _choices(error["loc"])
        return f"{key}: unknown key" + (f" (choices: {', '.join(choices)})" if choices else "")
    return f"{key}: {error['msg']} (got {mask(key, error.get('input'))!r})"


def _choices(location: tuple[int | str, ...]) -> list[str]:
    """The keys the table at ``location[:-1]`` accepts (of Settings or one of its sections)."""
    model: type[BaseModel] = Settings
    for part in location[:-1]:
        field = model.model_fields.get(str(part))
        annotation = field.annotation if field is not None else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return sorted(model.model_fields)


class _ExplicitSettings(Settings):
    """Settings from arguments only: the environment and the TOML file are not read."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only the arguments."""
        return (init_settings,)


def explicit_settings(**data: Any) -> Settings:
    """Settings built from ``data`` alone, e.g. for the demo's side-by-side configurations."""
    return _ExplicitSettings(**data)
