from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "dfsp.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES, Role
        from dfsp.core import labels
        from dfsp.core.navigation import NavEntry, register

        labels.register("event", {"matching.recomputed": _("Matches recomputed")})
        labels.register("job", {"matching.match_changes": _("Match changed demands and products")})
        register(
            NavEntry(
                key="matching.products",
                label=_("Matched products"),
                url_name="matching:my_matches",
                roles=frozenset(ENTERPRISE_ROLES),
                order=33,
                icon="stars",
            )
        )
        register(
            NavEntry(
                key="matching.demands",
                label=_("Matching demands"),
                url_name="matching:product_matches",
                roles=frozenset(INSTITUTION_ROLES),
                order=34,
                icon="bullseye",
            )
        )
        register(
            NavEntry(
                key="matching.overview",
                label=_("Matching overview"),
                url_name="matching:overview",
                roles=frozenset({Role.OPERATOR}),
                order=42,
                icon="diagram-3",
            )
        )
