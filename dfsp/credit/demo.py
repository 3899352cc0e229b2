"""Demo decision models: the platform's expert scorecard, anti-fraud and limit versions active; a
fitted scorecard candidate (synthetic history) waiting with its validation figures; ICBC's own
grade cut-offs as a draft; and a self pre-assessment of 华源新材料 (ent_admin) so its
pre-assessment page shows a grade, factors and indicative limits. Built through the services."""

from django.contrib.auth import get_user_model

from dfsp.credit import fitting, selectors, versions
from dfsp.credit.models import ModelVersion, Score
from dfsp.credit.states import ModelKind, VersionMethod

FIT_ROWS, FIT_SEED = 6000, 2026


def _user(username):
    return get_user_model().objects.filter(username=username, is_active=True).first()


def seed(stdout) -> None:
    operator = _user("operator")
    installed = versions.install_platform_models(actor=operator)
    stdout.write(
        f"  credit: platform versions {', '.join(f'{k} v{v.number}' for k, v in installed.items())}\n"
    )
    if operator is not None and not ModelVersion.objects.filter(method=VersionMethod.FITTED).exists():
        candidate = versions.fit_candidate(
            actor=operator,
            data=fitting.synthetic_history(FIT_ROWS, seed=FIT_SEED),
            seed=FIT_SEED,
            note="演示：合成历史数据拟合的候选评分卡（待运营人员审阅验证指标后启用）",
        )
        stdout.write(f"  credit: fitted candidate v{candidate.number}, AUC {candidate.validation['auc']}\n")
    bank_admin = _user("bank_admin")
    if bank_admin is not None and not ModelVersion.objects.filter(owner__isnull=False).exists():
        model_id = installed[ModelKind.SCORECARD].model_id
        own = versions.derive_version(
            actor=bank_admin, model_id=model_id, note="本行审慎口径：各等级分数线上调 10 分"
        )
        versions.update_params(
            actor=bank_admin,
            version_id=own.pk,
            changes={"grade_cutoffs": [750, 710, 670, 630, 590, 550, 510, 470]},
        )
    _self_assessment(stdout)


def _self_assessment(stdout) -> None:
    from dfsp.accounts.selectors import organisation_of
    from dfsp.core.errors import DomainError
    from dfsp.credit import services
    from dfsp.enterprises.selectors import is_certified

    ent_admin = _user("ent_admin")
    if ent_admin is None:
        return
    organisation = organisation_of(ent_admin)
    if organisation is None or not is_certified(organisation):
        return
    if Score.objects.filter(uscc=organisation.uscc, self_assessment=True).exists():
        return
    try:
        assessment = services.self_assess(actor=ent_admin, confirmed=True)
    except DomainError as exc:  # e.g. datahub's demo data not loaded: the page offers the button
        stdout.write(f"  credit: no self pre-assessment ({exc.code})\n")
        return
    grade = selectors.latest_self_grades([organisation.uscc]).get(organisation.uscc)
    stdout.write(
        f"  credit: {organisation.name} pre-assessed: {assessment.score} {grade}, limit {assessment.limit}\n"
    )
