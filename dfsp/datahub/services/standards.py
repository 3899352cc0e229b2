"""Standards: the data dictionary, code sets, default rules, masking policies and revealing values."""

import polars as pl
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from dfsp.audit.services import record_event
from dfsp.core import masking
from dfsp.core.crypto import sm3_hex
from dfsp.core.errors import AccessDenied, ValidationFailed
from dfsp.datahub.catalogue import ELEMENTS, GBT4754_DIVISIONS, SMALL_CODE_SETS
from dfsp.datahub.models import CodeSet, CodeValue, DataElement, MaskingPolicy, QualityRule
from dfsp.datahub.services.common import require_writer
from dfsp.datahub.services.rules import default_rules


def install_standards(*, actor=None) -> dict:
    """Create (idempotently) the data dictionary, code sets, default rules and masking policy."""
    from dfsp.core.industries import ENTERPRISE_SCALES, GBT4754_SECTIONS
    from dfsp.core.regions import HEILONGJIANG_DIVISIONS

    require_writer(actor)
    with transaction.atomic():
        for e in ELEMENTS:
            DataElement.objects.update_or_create(
                code=e.code,
                defaults={
                    "name_zh": e.name_zh,
                    "name_en": e.name_en,
                    "data_type": e.data_type,
                    "length": e.length,
                    "fmt": e.fmt,
                    "code_set": e.code_set,
                    "sensitivity": e.sensitivity,
                    "data_class": e.data_class,
                    "mask": e.mask,
                    "owner": "大庆市社会信用体系建设办公室",
                },
            )
        sets = {
            "GBT2260": (
                "行政区划代码（黑龙江省）",
                "GB/T 2260",
                "2023",
                {c: (n, "") for c, n in HEILONGJIANG_DIVISIONS.items()},
            ),
            "GBT4754_SECTION": (
                "国民经济行业分类门类",
                "GB/T 4754-2017",
                "2017",
                {c: (n, "") for c, n in GBT4754_SECTIONS.items()},
            ),
            "GBT4754_DIVISION": (
                "国民经济行业分类大类",
                "GB/T 4754-2017",
                "2017",
                {c: (n, p) for c, (p, n) in GBT4754_DIVISIONS.items()},
            ),
        }
        for code, (name, values) in SMALL_CODE_SETS.items():
            sets[code] = (name, "", "1.0", {v: (label, "") for v, label in values.items()})
        sets["ENT_SCALE"] = (
            "企业规模（工信部划型）",
            "工信部联企业〔2011〕300号",
            "2011",
            {c: (n, "") for c, n in ENTERPRISE_SCALES.items()},
        )
        for code, (name, standard, version, values) in sets.items():
            code_set, created = CodeSet.objects.get_or_create(
                code=code, version=version, defaults={"name": name, "standard": standard, "is_current": True}
            )
            if created:
                CodeValue.objects.bulk_create(
                    [
                        CodeValue(code_set=code_set, value=v, label=label, parent=parent)
                        for v, (label, parent) in values.items()
                    ]
                )
        for rule in default_rules():
            QualityRule.objects.get_or_create(code=rule["code"], defaults=rule)
        if not MaskingPolicy.objects.exists():
            MaskingPolicy.objects.create(
                version=masking.DEFAULT_POLICY["version"], rules=masking.DEFAULT_POLICY, is_active=True
            )
        record_event(event_type="datahub.standards.installed", actor=actor, object_type="datahub.standards")
    return {"elements": len(ELEMENTS), "code_sets": len(sets)}


@transaction.atomic
def activate_masking_policy(*, actor, version: str, rules: dict) -> MaskingPolicy:
    require_writer(actor)
    levels = rules.get("levels") if isinstance(rules, dict) else None
    allowed = {masking.CLEAR, masking.MASK, masking.SUPPRESS}
    if not levels or any(
        str(lvl) not in {"1", "2", "3", "4", "5"} or not isinstance(t, dict) or set(t.values()) - allowed
        for lvl, t in levels.items()
    ):
        raise ValidationFailed(
            field_errors={"rules": _("Each level 1–5 maps roles to clear, mask or suppress.")}
        )
    if MaskingPolicy.objects.filter(version=version).exists():
        raise ValidationFailed(field_errors={"version": _("This version exists already.")})
    MaskingPolicy.objects.filter(is_active=True).update(is_active=False)
    policy = MaskingPolicy.objects.create(
        version=version, rules={"version": version, "levels": levels}, is_active=True
    )
    record_event(
        event_type="datahub.masking_policy.activated",
        actor=actor,
        object_type="datahub.maskingpolicy",
        object_id=policy.pk,
        details={"version": version},
    )
    return policy


def reveal_value(*, actor, uscc: str, category: str, record_key: str, element: str) -> str:
    """Unmasked value of one sensitive element: needs the explicit permission; always audited."""
    from dfsp.datahub.selectors import get_credit_record

    allowed = bool(actor and actor.is_authenticated and actor.has_perm("datahub.reveal_sensitive"))
    with transaction.atomic():
        record_event(
            event_type="datahub.sensitive.revealed",
            actor=actor,
            object_type="datahub.creditrecord",
            object_id=f"{uscc}/{category}/{record_key}",
            outcome="success" if allowed else "denied",
            details={"element": element},
        )
    if not allowed:
        raise AccessDenied()
    record = get_credit_record(uscc=uscc, category=category, record_key=record_key)
    value = record.data.get(element)
    return "" if value is None else str(value)


def export_frame(
    *, actor, frame: pl.DataFrame, element_codes: dict[str, str], key: bytes | None = None
) -> pl.DataFrame:
    """Export masking of a frame whose columns are data elements: by sensitivity, for this actor."""
    from dfsp.datahub.selectors import export_actions

    actions = export_actions(actor=actor, columns=element_codes)
    return masking.mask_frame(frame, actions, key=key or pseudonym_key())


def pseudonym_key() -> bytes:
    configured = getattr(settings, "DATAHUB_PSEUDONYM_KEY", "")
    material = configured or settings.SECRET_KEY
    return bytes.fromhex(sm3_hex(("datahub-pseudonym:" + material).encode()))[:16]
