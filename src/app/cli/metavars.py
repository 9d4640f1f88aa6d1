"""Readable ``--help``: ``--title TITLE``, ``NAME``, a flag with none; paragraphs rewrapped.

typer 0.29 prints the Python type as the metavar (``<str>``, ``<list[str]>``, ``<bool>`` after
every flag, ``{name}`` for an argument), and its rich help keeps a docstring's line breaks
before wrapping again, which leaves fragments of lines. One rule for every command, applied
where the root group hands commands out, so no option has to spell its metavar unless it has a
better one and docstrings stay wrapped at the source's width.
"""

from __future__ import annotations

import re
from typing import Any


def readable(command: Any) -> Any:
    """``command`` (and its subcommands) with a metavar on every option that had none."""
    if command is None:  # no such command: click says so
        return None
    for param in getattr(command, "params", ()):
        _name(param)
    if getattr(command, "help", None):
        command.help = unwrapped(command.help)
    if not getattr(command, "_readable_help", False):
        # click makes --help when the help is printed, not among the params: name it then.
        made = command.get_help_option

        def help_option(ctx: Any) -> Any:
            return _name(made(ctx))

        command.get_help_option = help_option
        command._readable_help = True
    for sub in getattr(command, "commands", {}).values():
        readable(sub)
    return command


def _name(param: Any) -> Any:
    kind = getattr(param, "param_type_name", "")
    if param is None or param.metavar is not None or kind not in {"option", "argument"}:
        return param
    # A flag takes no value: an empty metavar prints nothing after it.
    flag = kind == "option" and param.is_flag
    param.metavar = "" if flag else (param.name or "value").upper()
    return param


def unwrapped(text: str) -> str:
    """``text`` with each paragraph on one line; a line starting with ``- `` starts an item."""
    paragraphs = [re.sub(r"\n(?!- )", " ", p.strip()) for p in text.strip().split("\n\n")]
    return "\n\n".join(paragraphs)
