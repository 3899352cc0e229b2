"""Who hears about lateness and urges, by level."""

from dfsp.accounts.roles import Role
from dfsp.accounts.selectors import active_members


def institution_staff(institution, assigned_officer=None) -> list:
    """Loan officers of the institution (and the assigned officer); its admins if it has none."""
    people = active_members([Role.INSTITUTION_USER], institution)
    if assigned_officer is not None and assigned_officer.is_active and assigned_officer not in people:
        people.append(assigned_officer)
    return people or institution_admins(institution)


def institution_admins(institution) -> list:
    return active_members([Role.INSTITUTION_ADMIN], institution)


def regulators() -> list:
    return active_members([Role.REGULATOR])


def for_urge_level(level: int, institution, assigned_officer=None) -> list:
    people = institution_staff(institution, assigned_officer)
    if level >= 2:
        people += [p for p in institution_admins(institution) if p not in people]
    return people
