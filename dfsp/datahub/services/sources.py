"""Data sources and their field mappings."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from dfsp.audit.services import record_event
from dfsp.core.errors import ValidationFailed
from dfsp.datahub.catalogue import CATEGORIES
from dfsp.datahub.models import DataElement, DataSource, Delivery, FieldMapping, SourceStatus
from dfsp.datahub.services.common import require_writer


@transaction.atomic
def create_source(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    delivery: str,
    category: str,
    owner_department: str,
    items=None,
    schedule: str = "",
    contact: str = "",
    api_url: str = "",
    owner=None,
) -> DataSource:
    require_writer(actor)
    if DataSource.objects.filter(code=code).exists():
        raise ValidationFailed(field_errors={"code": _("A source with this code exists already.")})
    if category not in CATEGORIES:
        raise ValidationFailed(field_errors={"category": _("Unknown category.")})
    if delivery == Delivery.PULL_API and not api_url:
        raise ValidationFailed(field_errors={"api_url": _("A pull source needs an API address.")})
    source = DataSource.objects.create(
        code=code,
        name=name,
        kind=kind,
        delivery=delivery,
        category=category,
        owner_department=owner_department,
        items=list(items or CATEGORIES[category].elements),
        schedule=schedule,
        contact=contact,
        api_url=api_url,
        owner=owner,
    )
    record_event(
        event_type="datahub.source.created",
        actor=actor,
        object_type="datahub.datasource",
        object_id=source.pk,
    )
    return source


@transaction.atomic
def set_source_status(*, actor, source: DataSource, status: str) -> DataSource:
    require_writer(actor)
    source = DataSource.objects.select_for_update().get(pk=source.pk)
    if status not in SourceStatus.values:
        raise ValidationFailed(field_errors={"status": _("Unknown status.")})
    source.status = status
    source.save(update_fields=["status"])
    record_event(
        event_type="datahub.source.status_changed",
        actor=actor,
        object_type="datahub.datasource",
        object_id=source.pk,
        details={"status": status},
    )
    return source


@transaction.atomic
def set_mapping(
    *, actor, source: DataSource, source_field: str, element_code: str, value_map: dict | None = None
) -> FieldMapping:
    require_writer(actor)
    element = DataElement.objects.filter(code=element_code).first()
    if element is None:
        raise ValidationFailed(field_errors={"element": _("Unknown data element.")})
    if not source_field.strip():
        raise ValidationFailed(field_errors={"source_field": _("Name the source field.")})
    FieldMapping.objects.filter(source=source).filter(
        Q(element=element) | Q(source_field=source_field)
    ).delete()
    mapping = FieldMapping.objects.create(
        source=source, source_field=source_field.strip(), element=element, value_map=value_map or {}
    )
    record_event(
        event_type="datahub.mapping.set",
        actor=actor,
        object_type="datahub.fieldmapping",
        object_id=mapping.pk,
        details={"source": source.code, "field": source_field, "element": element_code},
    )
    return mapping
