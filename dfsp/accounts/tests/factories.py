import factory
from django.utils import timezone

from dfsp.accounts.models import Membership, Organisation, User
from dfsp.accounts.roles import InstitutionSubtype, OrganisationKind, Role
from dfsp.core.identifiers import make_uscc

PASSWORD = "Tr1cky#Pass2026"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.ENTERPRISE
    name = factory.Sequence(lambda n: f"大庆测试企业{n}有限公司")
    region_code = "230602"
    uscc = factory.Sequence(lambda n: make_uscc("91", "230602", f"MA{n:06d}"))

    class Params:
        institution = factory.Trait(
            kind=OrganisationKind.INSTITUTION,
            institution_subtype=InstitutionSubtype.BANK,
            name=factory.Sequence(lambda n: f"测试银行大庆分行{n}"),
            uscc="",
        )
        operator = factory.Trait(kind=OrganisationKind.OPERATOR, name="平台运营中心", uscc="")
        government = factory.Trait(kind=OrganisationKind.GOVERNMENT, name="大庆市地方金融管理局", uscc="")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    password_changed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


def member(role: str, organisation: Organisation | None = None, **user_fields) -> User:
    """A user holding ``role`` in ``organisation`` (created to fit the role when not given)."""
    if organisation is None:
        kind_trait = {
            Role.ENTERPRISE_ADMIN: {},
            Role.ENTERPRISE_USER: {},
            Role.INSTITUTION_ADMIN: {"institution": True},
            Role.INSTITUTION_USER: {"institution": True},
            Role.REGULATOR: {"government": True},
        }.get(role, {"operator": True})
        organisation = OrganisationFactory(**kind_trait)
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user
