"""The naming rule: one singular snake-case name gives every spelling an edge needs.

``shoot_day`` gives the repository, table and ``[repositories]`` key ``shoot_days``, the
JSON:API type ``shoot-days``, the GraphQL fields ``shootDay``, ``shootDays``,
``shootDaysByIds`` and the inputs ``ShootDayFilter`` and ``ShootDayInput``. The GraphQL object
type is the model's class name. An entity overrides a spelling only where the rule is wrong
for it (an irregular plural, a wire name older than the model).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_IRREGULAR = {"person": "people", "child": "children", "staff": "staff", "series": "series"}


def snake(name: str) -> str:
    """``ShootDay`` -> ``shoot_day``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def camel(name: str) -> str:
    """``shoot_days`` -> ``shootDays``."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def pascal(name: str) -> str:
    """``shoot_day`` -> ``ShootDay``."""
    return "".join(part.capitalize() for part in name.split("_"))


def plural(name: str) -> str:
    """English plural of the last word of a snake-case name: ``shoot_day`` -> ``shoot_days``."""
    *head, last = name.split("_")
    if last in _IRREGULAR:
        word = _IRREGULAR[last]
    elif re.search(r"[^aeiou]y$", last):
        word = last[:-1] + "ies"
    elif re.search(r"(s|x|z|ch|sh)$", last):
        word = last + "es"
    else:
        word = last + "s"
    return "_".join([*head, word])


def singular(name: str) -> str:
    """The singular of a plural, for a collection's value column: ``genres`` -> ``genre``.

    The regular English endings only (``ies``, ``es`` after s/x/z/ch/sh, ``s``) and the
    irregular words ``plural`` knows; an entity type's own singular never comes from here
    (it is its class name), so a wrong guess can only name a column.
    """
    *head, last = name.split("_")
    inverse = {v: k for k, v in _IRREGULAR.items()}
    if last in inverse:
        word = inverse[last]
    elif last.endswith("ies"):
        word = last[:-3] + "y"
    elif re.search(r"(s|x|z|ch|sh)es$", last):
        word = last[:-2]
    else:
        word = last.removesuffix("s")
    return "_".join([*head, word])


@dataclass(frozen=True)
class Names:
    """Every spelling of one entity type's name, from the rule or from overrides."""

    singular: str
    """``shoot_day``: the CLI's and the code's word for one."""
    plural: str
    """``shoot_days``: the repository, the SQL table, the ``[repositories]`` key, the CLI group."""
    jsonapi_type: str
    """``shoot-days``: the JSON:API resource type and its collection path under ``/api``."""
    graphql_type: str
    """``ShootDay``: the GraphQL object type (the model's class name unless overridden)."""

    @classmethod
    def derive(
        cls,
        name: str,
        *,
        graphql_type: str,
        plural_name: str | None = None,
        jsonapi_type: str | None = None,
    ) -> Names:
        """The names of the snake-case ``name`` by the rule, but for the overrides given."""
        many = plural_name or plural(name)
        return cls(
            singular=name,
            plural=many,
            jsonapi_type=jsonapi_type or many.replace("_", "-"),
            graphql_type=graphql_type,
        )

    @property
    def pascal(self) -> str:
        """``ShootDay``: the stem of the GraphQL inputs and of ``applyChanges``' members."""
        return pascal(self.singular)

    @property
    def graphql_one(self) -> str:
        """The root field reading one by id: ``shootDay``."""
        return camel(self.singular)

    @property
    def graphql_many(self) -> str:
        """The root connection field: ``shootDays``."""
        return camel(self.plural)

    @property
    def graphql_by_ids(self) -> str:
        """The root field reading many by id in one request: ``shootDaysByIds``."""
        return f"{self.graphql_many}ByIds"

    @property
    def graphql_filter(self) -> str:
        """The filter input type of the connection field: ``ShootDayFilter``."""
        return f"{self.pascal}Filter"

    @property
    def graphql_input(self) -> str:
        """The input type of a whole entity in ``applyChanges``: ``ShootDayInput``."""
        return f"{self.pascal}Input"
