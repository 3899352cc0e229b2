"""Reads of ratings (FIN-P7): summaries for institutions, an enterprise's ratings for reviewers."""

from django.db.models import Avg, Count, QuerySet

from dfsp.postloan import parties
from dfsp.postloan.models import Rating
from dfsp.postloan.states import Direction, EnterpriseTag, InstitutionTag


def institution_rating_summary(institution) -> dict:
    """Average stars (None without ratings) and count of enterprises' ratings of an institution."""
    row = Rating.objects.filter(
        ratee=institution, direction=Direction.ENTERPRISE_RATES_INSTITUTION
    ).aggregate(avg=Avg("stars"), count=Count("pk"))
    return {"avg": round(float(row["avg"]), 2) if row["avg"] is not None else None, "count": row["count"]}


def enterprise_ratings(uscc: str) -> QuerySet[Rating]:
    """Institutions' ratings of the enterprise with this code, newest first (for later reviewers)."""
    return Rating.objects.filter(uscc=uscc, direction=Direction.INSTITUTION_RATES_ENTERPRISE).select_related(
        "rater", "loan"
    )


def enterprise_rating_summary(uscc: str) -> dict:
    row = enterprise_ratings(uscc).aggregate(avg=Avg("stars"), count=Count("pk"))
    return {"avg": round(float(row["avg"]), 2) if row["avg"] is not None else None, "count": row["count"]}


def ratings_of_loan(loan) -> dict:
    """{direction: Rating or None} for the loan page."""
    found = {rating.direction: rating for rating in Rating.objects.filter(loan=loan)}
    return {direction: found.get(direction) for direction in Direction.values}


def own_direction(actor, loan) -> str:
    """The direction the actor would rate in, or "" when they are no party to the loan."""
    side = parties.side_of(actor, loan)
    if side == parties.ENTERPRISE:
        return Direction.ENTERPRISE_RATES_INSTITUTION
    if side == parties.INSTITUTION:
        return Direction.INSTITUTION_RATES_ENTERPRISE
    return ""


def tag_choices(direction: str) -> list[tuple[str, str]]:
    tags = InstitutionTag if direction == Direction.ENTERPRISE_RATES_INSTITUTION else EnterpriseTag
    return list(tags.choices)


def tag_labels(tags) -> list[str]:
    labels = {**dict(InstitutionTag.choices), **dict(EnterpriseTag.choices)}
    return [str(labels.get(tag, tag)) for tag in tags or []]
