from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "dfsp.institutions"
    label = "institutions"
    verbose_name = _("Institutions and products")

    def ready(self) -> None:
        from dfsp.accounts.roles import Role
        from dfsp.core import labels
        from dfsp.core.navigation import PUBLIC, NavEntry, register

        labels.register(
            "event",
            {
                "institutions.profile.created": _("Institution profile created"),
                "institutions.branch.created": _("Branch created"),
                "institutions.officer.assigned": _("Loan officer assigned to a branch"),
                "institutions.product.created": _("Product created"),
                "institutions.product.edited": _("Product edited"),
                "institutions.product.submitted": _("Product submitted for review"),
                "institutions.product.approved": _("Product approved"),
                "institutions.product.rejected": _("Product rejected"),
                "institutions.product.offline": _("Product taken offline"),
                "institutions.product.online": _("Product back online"),
                "institutions.product.pinned": _("Product pinned"),
                "institutions.product.unpinned": _("Product unpinned"),
                "institutions.ranking.updated": _("Ranking weights changed"),
            },
        )
        labels.register("job", {"institutions.recompute_scores": _("Recompute product ranking scores")})
        institution = frozenset({Role.INSTITUTION_ADMIN, Role.INSTITUTION_USER})
        for entry in (
            NavEntry(
                "institutions.supermarket",
                _("Financial supermarket"),
                "institutions:supermarket",
                PUBLIC,
                20,
                "shop",
            ),
            NavEntry(
                "institutions.favourites",
                _("My favourite products"),
                "institutions:favourites",
                None,
                60,
                "heart",
            ),
            NavEntry(
                "institutions.products",
                _("Products"),
                "institutions:my_products",
                institution | {Role.OPERATOR},
                30,
                "box-seam",
            ),  # fmt: skip
            NavEntry(
                "institutions.review",
                _("Product review"),
                "institutions:review_queue",
                frozenset({Role.OPERATOR}),
                31,
                "check2-square",
            ),  # fmt: skip
            NavEntry(
                "institutions.ranking",
                _("Ranking"),
                "institutions:ranking",
                frozenset({Role.OPERATOR}),
                32,
                "bar-chart",
            ),  # fmt: skip
            NavEntry(
                "institutions.onboarding",
                _("Financial institutions"),
                "institutions:institutions",
                frozenset({Role.OPERATOR}),
                33,
                "bank",
            ),  # fmt: skip
            NavEntry(
                "institutions.staff",
                _("Staff and branches"),
                "institutions:staff",
                frozenset({Role.INSTITUTION_ADMIN}),
                34,
                "people",
            ),  # fmt: skip
        ):
            register(entry)
        from dfsp.institutions import consent_purposes

        # Consent asks this app whether a grant's purpose reference is real: the pre-assessment purpose (a live product of the institution).
        consent_purposes.register()
