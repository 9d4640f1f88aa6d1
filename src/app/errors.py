"""Errors of the composition root."""


class ConfigError(Exception):
    """The configuration cannot be used; the message names the key, the value and the choices."""
