"""Who to tell about demand events."""

from dfsp.accounts.roles import INSTITUTION_ROLES, Role
from dfsp.accounts.selectors import active_members


def operators():
    return active_members([Role.OPERATOR])


def institution_users(organisation=None):
    return active_members(INSTITUTION_ROLES, organisation)


def enterprise_people(organisation):
    return active_members([Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_USER], organisation)
