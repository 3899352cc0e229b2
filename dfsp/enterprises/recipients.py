"""Who to tell about enterprise events."""

from dfsp.accounts.roles import Role
from dfsp.accounts.selectors import active_members


def operators():
    return active_members([Role.OPERATOR])


def enterprise_admins(organisation):
    return active_members([Role.ENTERPRISE_ADMIN], organisation)


def enterprise_people(organisation):
    return active_members([Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_USER], organisation)
