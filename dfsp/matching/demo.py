"""Demo matches: every live demo demand (华源新材料's) against the live demo products, computed by
the operator's "recompute" once; later runs (seed again, or the scheduled job) only pick up what
changed. ``ent_admin`` sees *Matched products*, ``bank_officer`` *Matching demands*, ``operator``
the *Matching overview*."""

from django.contrib.auth import get_user_model

from dfsp.matching import services
from dfsp.matching.models import MatchRun


def seed(stdout) -> None:
    operator = get_user_model().objects.filter(username="operator").first()
    if operator is None:
        return
    if MatchRun.objects.filter(trigger=MatchRun.Trigger.OPERATOR, succeeded=True).exists():
        run = services.run_incremental()
    else:
        run = services.recompute_all(actor=operator)
    stdout.write(
        f"matching: {run.demands_matched} demands × {run.products_matched} products, "
        f"{run.matches_written} matches written"
    )
