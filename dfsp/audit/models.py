"""The audit trail: an append-only, SM3 hash-chained log of security-relevant events.

Rows are written only by services.record_event and removed only by the retention purge; database
triggers (migration 0002) refuse every other UPDATE, DELETE and TRUNCATE. The table has no
foreign keys on purpose, so no change elsewhere can ever cascade into it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dfsp.audit.chain import GENESIS_HASH

AUDIT_ADMIN_ROLE = "audit_admin"


class AppendOnlyViolation(RuntimeError):
    """Code tried to change or remove an audit record."""


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    DENIED = "denied", _("Denied")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyViolation("Audit events are never updated.")

    def delete(self):
        raise AppendOnlyViolation("Audit events are removed only by the retention purge.")

    def bulk_create(self, *args, **kwargs):
        raise AppendOnlyViolation("Audit events are written one by one through services.record_event.")

    def _delete_for_retention(self) -> int:
        """Only services.purge_expired_events calls this; the database still checks the age."""
        deleted, _by_model = super().delete()
        return deleted


class AuditEvent(models.Model):
    # The chain position: contiguous from 1, assigned under the chain-head lock.
    seq = models.BigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    # Copies, not foreign keys: the row must stay as written even if the user or organisation changes.
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("actor"), max_length=150, blank=True, db_index=True)
    organisation_id = models.BigIntegerField(_("organisation id"), null=True, blank=True, db_index=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True, db_index=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    event_type = models.CharField(_("event type"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_event_object_idx"),
            models.Index(fields=["outcome", "occurred_at"], name="audit_event_outcome_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="audit_event_seq_positive")
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event_type}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyViolation("Audit events are never updated.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyViolation("Audit events are removed only by the retention purge.")


class AuditChainHead(models.Model):
    """The single row holding the last link of the chain; record_event locks it to append."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_chain_head_singleton")]

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash}"


class AuditAnchor(models.Model):
    """The seq and hash of the last record removed by a retention purge.

    Verification starts after the newest anchor: the first remaining record must follow it.
    """

    seq = models.BigIntegerField(_("sequence"), unique=True)
    hash = models.CharField(_("hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("audit anchor")
        verbose_name_plural = _("audit anchors")
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash}"
