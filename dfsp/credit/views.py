"""Decision-model pages: models and versions (operators; institution admins for their own
parameters), score lookup with explanation and recompute, and the enterprise's pre-assessment."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dfsp.accounts.roles import INSTITUTION_ROLES, PLATFORM_WIDE_ROLES, Role
from dfsp.core.access import role_required
from dfsp.core.errors import Conflict, DomainError
from dfsp.credit import charts, fitting, selectors, services, versions
from dfsp.credit.forms import (
    FitForm,
    NoteForm,
    ScoreLookupForm,
    SelfAssessmentForm,
    changes_from,
    params_form,
)
from dfsp.credit.indicative import offers_for
from dfsp.credit.states import ModelKind, VersionStatus
from dfsp.enterprises import selectors as enterprise_selectors

MANAGERS = (Role.OPERATOR, Role.REGULATOR, Role.INSTITUTION_ADMIN)
SCORE_READERS = (*PLATFORM_WIDE_ROLES, *INSTITUTION_ROLES)
CONSENT_TEXT = gettext_lazy(
    "I authorise the Daqing Digital Financial Service Platform to read my enterprise's credit data "
    "(registration, tax, social insurance, utilities, real estate, intellectual property, judicial "
    "records, licences and penalties, honours and lists) once, only to compute this pre-assessment for "
    "my enterprise. No financial institution sees the result unless I apply; the read is logged."
)


def _error(request, exc: DomainError) -> None:
    messages.error(request, f"{exc.message} ({exc.code})")


@role_required(*MANAGERS)
def models_list(request):
    organisation = selectors.acting_organisation(request.user)
    rows = []
    for model in selectors.list_models(actor=request.user):
        qs = selectors.versions_for(actor=request.user, model=model)
        rows.append(
            {
                "model": model,
                "platform_active": qs.filter(owner__isnull=True, status=VersionStatus.ACTIVE).first(),
                "own_active": qs.filter(owner=organisation, status=VersionStatus.ACTIVE).first()
                if request.user.has_any_role({Role.INSTITUTION_ADMIN})
                else None,
                "candidates": qs.filter(status=VersionStatus.DRAFT).count(),
            }
        )
    is_operator = request.user.has_any_role({Role.OPERATOR})
    return render(
        request,
        "credit/models.html",
        {"rows": rows, "fit_form": FitForm() if is_operator else None, "is_operator": is_operator},
    )


@role_required(*MANAGERS)
def model_detail(request, model_id):
    model = selectors.get_model_for(actor=request.user, model_id=model_id)
    return render(
        request,
        "credit/model_detail.html",
        {
            "model": model,
            "versions": selectors.versions_for(actor=request.user, model=model),
            "can_derive": request.user.has_any_role({Role.INSTITUTION_ADMIN}),
        },
    )


@role_required(Role.INSTITUTION_ADMIN)
@require_POST
def version_derive(request, model_id):
    try:
        version = versions.derive_version(
            actor=request.user, model_id=model_id, note=request.POST.get("note", "")
        )
    except Conflict as exc:
        _error(request, exc)
        return redirect("credit:model_detail", model_id=model_id)
    messages.success(
        request, _("Your own version was created as a draft. Edit its parameters, then activate it.")
    )
    return redirect("credit:version_detail", version_id=version.pk)


@role_required(Role.OPERATOR)
@require_POST
def fit_candidate(request):
    form = FitForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("credit:models")
    data = form.cleaned_data
    try:
        if data["source"] == "upload":
            frame = fitting.read_dataset(data["dataset"])
        else:
            frame = fitting.synthetic_history(data.get("rows") or 4000, data.get("seed") or 7)
        version = versions.fit_candidate(
            actor=request.user, data=frame, note=data.get("note") or data["source"]
        )
    except DomainError as exc:
        _error(request, exc)
        return redirect("credit:models")
    messages.success(
        request, _("A candidate scorecard was fitted. Check its validation figures before activating it.")
    )
    return redirect("credit:version_detail", version_id=version.pk)


@role_required(*MANAGERS)
def version_detail(request, version_id):
    version = selectors.get_version_for(actor=request.user, version_id=version_id)
    validation = version.validation or {}
    return render(
        request,
        "credit/version_detail.html",
        {
            "version": version,
            "can_edit": selectors.can_edit(request.user, version),
            "note_form": NoteForm(),
            "validation": validation,
            "distribution_chart": charts.distribution(validation) if validation else None,
            "calibration_chart": charts.calibration(validation) if validation else None,
            "events": version.events.select_related("actor")[:50],
            "params_view": charts.params_view(version),
        },
    )


@role_required(Role.OPERATOR, Role.INSTITUTION_ADMIN)
@require_http_methods(["GET", "POST"])
def version_edit(request, version_id):
    version = selectors.get_version_for(actor=request.user, version_id=version_id)
    if not selectors.can_edit(request.user, version) or version.status != VersionStatus.DRAFT:
        messages.error(request, _("Only draft versions you own can be edited."))
        return redirect("credit:version_detail", version_id=version.pk)
    form = params_form(version.model.kind, version.params, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            versions.update_params(
                actor=request.user,
                version_id=version.pk,
                changes=changes_from(version.model.kind, form.cleaned_data, version.params),
            )
        except DomainError as exc:
            if exc.status == 403:
                raise
            for message in exc.field_errors.values() or [exc.message]:
                form.add_error(None, message)
        else:
            messages.success(request, _("Parameters saved."))
            return redirect("credit:version_detail", version_id=version.pk)
    return render(request, "credit/version_edit.html", {"version": version, "form": form})


def _transition(request, version_id, service, done: str):
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        service(actor=request.user, version_id=version_id, note=note)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        _error(request, exc)
    else:
        messages.success(request, done)
    return redirect("credit:version_detail", version_id=version_id)


@role_required(Role.OPERATOR, Role.INSTITUTION_ADMIN)
@require_POST
def version_activate(request, version_id):
    return _transition(request, version_id, versions.activate_version, _("Version activated."))


@role_required(Role.OPERATOR, Role.INSTITUTION_ADMIN)
@require_POST
def version_retire(request, version_id):
    return _transition(request, version_id, versions.retire_version, _("Version retired."))


@role_required(*SCORE_READERS)
def scores(request):
    form = ScoreLookupForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.scores_for(
        actor=request.user, uscc=filters.get("uscc") or None, purpose_type=filters.get("purpose_type") or None
    ).filter(kind=ModelKind.SCORECARD)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "credit/scores.html", {"form": form, "page": page})


@role_required(*SCORE_READERS)
def score_detail(request, score_id):
    score = selectors.get_score_for(actor=request.user, score_id=score_id)
    assessment = selectors.assessment_for(actor=request.user, score_id=score.pk)
    return render(
        request,
        "credit/score_detail.html",
        {"score": score, "assessment": assessment, "explanation": selectors.explain(score)},
    )


@role_required(*SCORE_READERS)
@require_POST
def score_recompute(request, score_id):
    score, matches = services.recompute_score(actor=request.user, score_id=score_id)
    if matches:
        messages.success(request, _("Recomputed with the stored version and inputs: the result matches."))
    else:
        messages.error(
            request, _("Recomputed with the stored version and inputs: the result does NOT match.")
        )
    return redirect("credit:score_detail", score_id=score.pk)


@role_required(Role.ENTERPRISE_ADMIN)
@require_http_methods(["GET", "POST"])
def self_assessment(request):
    organisation = selectors.acting_organisation(request.user)
    certified = enterprise_selectors.is_certified(organisation)
    form = SelfAssessmentForm(request.POST or None)
    if request.method == "POST" and certified and form.is_valid():
        try:
            services.self_assess(actor=request.user, confirmed=form.cleaned_data["confirmed"])
        except DomainError as exc:
            if exc.status == 403 and exc.code == "permission_denied":
                raise
            _error(request, exc)
        else:
            messages.success(request, _("Your pre-assessment is ready."))
            return redirect("credit:self_assessment")
    assessment = selectors.latest_self_assessment(actor=request.user)
    offers = []
    if assessment is not None:
        offers = offers_for(
            assessment=assessment,
            organisation=organisation,
            profile=enterprise_selectors.profile_of(organisation),
        )
    return render(
        request,
        "credit/self_assessment.html",
        {
            "certified": certified,
            "form": form,
            "consent_text": CONSENT_TEXT,
            "assessment": assessment,
            "offers": offers,
            "chart": charts.reasons(assessment) if assessment else None,
        },
    )
