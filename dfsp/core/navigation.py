"""Role-aware navigation: apps register entries in AppConfig.ready(); only working modules do."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise

PUBLIC = "public"


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str | Promise
    url_name: str
    # PUBLIC: everyone; None: any logged-in user; otherwise any of these role codes.
    roles: frozenset[str] | str | None = None
    order: int = 100
    icon: str = ""
    children: tuple = field(default_factory=tuple)
    # E.g. "register": pointless once logged in.
    anonymous_only: bool = False

    @property
    def is_public(self) -> bool:
        return self.roles == PUBLIC

    def visible_to(self, user) -> bool:
        if self.anonymous_only and user.is_authenticated:
            return False
        if self.roles == PUBLIC:
            return True
        if not user.is_authenticated:
            return False
        return self.roles is None or user.has_any_role(self.roles)

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_registry: dict[str, NavEntry] = {}


def register(entry: NavEntry) -> None:
    _registry[entry.key] = entry


def entries_for(user) -> list[NavEntry]:
    return sorted((e for e in _registry.values() if e.visible_to(user)), key=lambda e: (e.order, e.key))
