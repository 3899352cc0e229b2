"""Enterprise pages: registration (public), my enterprise, certification, operators' review, blacklist."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from dfsp.accounts import selectors as account_selectors
from dfsp.accounts import services as account_services
from dfsp.accounts.roles import Role
from dfsp.core.access import public_view, role_required
from dfsp.core.errors import DomainError, NotFound
from dfsp.core.net import client_ip
from dfsp.enterprises import antibot, selectors, services
from dfsp.enterprises.forms import (
    BlacklistEntryForm,
    BlacklistImportForm,
    CertificationForm,
    DecisionForm,
    MemberForm,
    ProfileForm,
    RegistrationForm,
)
from dfsp.enterprises.states import QUEUE_STATES, SUBMITTABLE_STATES, CertificationStatus

ENTERPRISE_ROLES = (Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_USER)


def _apply_errors(form, exc: DomainError, renamed: dict | None = None) -> None:
    if exc.field_errors:
        for name, message in exc.field_errors.items():
            name = (renamed or {}).get(name, name)
            form.add_error(name if name in form.fields else None, message)
        if exc.code == "uscc_taken":
            form.add_error(None, exc.message)
    else:
        form.add_error(None, exc.message)


# --- Registration ------------------------------------------------------------------------------


@public_view
@never_cache
@require_http_methods(["GET", "POST"])
def register(request):
    if request.method == "POST" and request.POST.get("action") == "send_code":
        keep = {
            k: v
            for k, v in request.POST.items()
            if k not in ("password1", "password2", "csrfmiddlewaretoken")
        }
        form = RegistrationForm(initial=keep)
        if not antibot.check_answer(request.session, request.POST.get("challenge", "")):
            messages.error(request, _("The answer to the question is not correct."))
        else:
            try:
                services.send_registration_code(mobile=request.POST.get("mobile", ""), ip=client_ip(request))
            except DomainError as exc:
                messages.error(request, " ".join(str(m) for m in exc.field_errors.values()) or exc.message)
            else:
                messages.success(
                    request, _("A 6-digit code was sent to your mobile. It is valid for 5 minutes.")
                )
    else:
        form = RegistrationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.register_enterprise(
                    name=data["name"],
                    uscc=data["uscc"],
                    region_code=data["region_code"],
                    legal_representative=data["legal_representative"],
                    industry=data["industry"],
                    scale=data["scale"],
                    username=data["username"],
                    full_name=data["full_name"],
                    mobile=data["mobile"],
                    password=data["password1"],
                    sms_code=data["sms_code"],
                    ip=client_ip(request),
                )
            except DomainError as exc:
                _apply_errors(form, exc, renamed={"password": "password1"})
            else:
                messages.success(
                    request, _("Your enterprise is registered. Log in and submit the certification.")
                )
                return redirect("accounts:login")
    return render(
        request,
        "enterprises/register.html",
        {"form": form, "question": antibot.current_question(request.session)},
    )


# --- My enterprise -----------------------------------------------------------------------------


@role_required(*ENTERPRISE_ROLES)
@require_http_methods(["GET", "POST"])
def account(request):
    organisation = account_selectors.organisation_of(request.user)
    profile = selectors.profile_of(organisation)
    is_admin = request.user.has_role(Role.ENTERPRISE_ADMIN)
    profile_form = ProfileForm(
        request.POST or None,
        initial={"industry": profile.industry, "scale": profile.scale, "address": profile.address}
        if profile
        else None,
    )
    if request.method == "POST" and profile_form.is_valid():
        try:
            services.update_profile(actor=request.user, **profile_form.cleaned_data)
        except DomainError as exc:
            _apply_errors(profile_form, exc)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("enterprises:account")
    certification = selectors.own_certification(request.user)
    return render(
        request,
        "enterprises/account.html",
        {
            "organisation": organisation,
            "profile": profile,
            "profile_form": profile_form,
            "certification": certification,
            "events": certification.events.select_related("actor") if certification.pk else [],
            "materials": certification.materials.all() if certification.pk and is_admin else [],
            "members": account_selectors.list_users_for(request.user) if is_admin else [],
            "is_admin": is_admin,
            "can_submit": is_admin and certification.status in SUBMITTABLE_STATES,
        },
    )


@role_required(Role.ENTERPRISE_ADMIN)
@require_http_methods(["GET", "POST"])
def member_add(request):
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member, password = account_services.add_member(
                actor=request.user,
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                mobile=form.cleaned_data["mobile"] or None,
                role=form.cleaned_data["role"],
            )
        except DomainError as exc:
            _apply_errors(form, exc)
        else:
            return render(
                request, "enterprises/member_password.html", {"member": member, "password": password}
            )
    return render(request, "enterprises/member_form.html", {"form": form})


@role_required(Role.ENTERPRISE_ADMIN)
@require_POST
def member_toggle(request, user_id: int):
    member = account_selectors.get_user_for(request.user, user_id)
    try:
        account_services.set_member_active(
            actor=request.user,
            member=member,
            active=not member.is_active,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Member enabled.") if member.is_active else _("Member disabled."))
    return redirect("enterprises:account")


# --- Certification -----------------------------------------------------------------------------


@role_required(Role.ENTERPRISE_ADMIN)
@require_http_methods(["GET", "POST"])
def certification_submit(request):
    certification = selectors.own_certification(request.user)
    profile = selectors.profile_of(certification.organisation)
    initial = {}
    if profile:
        initial = {
            "legal_representative": profile.legal_representative,
            "address": profile.address,
            "contact_name": profile.contact_name,
            "contact_mobile": profile.contact_mobile,
        }
    form = CertificationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            certification = services.submit_certification(
                actor=request.user,
                legal_representative=data["legal_representative"],
                address=data["address"],
                contact_name=data["contact_name"],
                contact_mobile=data["contact_mobile"],
                submitted_by_agent=data["submitted_by_agent"],
                agent_name=data["agent_name"],
                materials=services.Materials(
                    business_licence=data["business_licence"],
                    authorisation_letter=data["authorisation_letter"],
                ),
            )
        except DomainError as exc:
            _apply_errors(form, exc)
        else:
            if certification.status == CertificationStatus.TERMINATED:
                messages.error(
                    request, _("Certification terminated: %(reason)s") % {"reason": certification.reason}
                )
            else:
                messages.success(request, _("Certification submitted. The platform will review it."))
            return redirect("enterprises:account")
    return render(
        request,
        "enterprises/certification_form.html",
        {
            "form": form,
            "certification": certification,
            "submittable": certification.status in SUBMITTABLE_STATES,
        },
    )


@role_required(Role.ENTERPRISE_ADMIN, Role.OPERATOR)
def material_download(request, material_id: int):
    try:
        material = selectors.get_material_for(request.user, material_id)
    except NotFound:
        services.record_material_denial(actor=request.user, material_id=material_id)
        raise
    services.record_material_view(actor=request.user, material=material)
    response = FileResponse(material.file.open("rb"), content_type=material.content_type)
    response["Content-Disposition"] = (
        f'inline; filename="material-{material.pk}.{material.file.name.rsplit(".", 1)[-1]}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Operators' review -------------------------------------------------------------------------


@role_required(Role.OPERATOR)
def review_queue(request):
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()[:100]
    order = request.GET.get("order", "oldest")
    queryset = selectors.review_queue(request.user, status=status, query=query, order=order)
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "enterprises/review_queue.html",
        {
            "page": page,
            "status": status,
            "query": query,
            "order": order,
            "statuses": [(s, CertificationStatus(s).label) for s in CertificationStatus.values],
        },
    )


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def review_detail(request, certification_id: int):
    certification = selectors.get_certification_for(request.user, certification_id)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = {
            "approve": lambda: services.approve_certification(
                reviewer=request.user, certification_id=certification.pk, comment=form.cleaned_data["reason"]
            ),
            "reject": lambda: services.reject_certification(
                reviewer=request.user, certification_id=certification.pk, reason=form.cleaned_data["reason"]
            ),
            "return": lambda: services.return_certification(
                reviewer=request.user, certification_id=certification.pk, reason=form.cleaned_data["reason"]
            ),
            "terminate": lambda: services.terminate_certification(
                reviewer=request.user, certification_id=certification.pk, reason=form.cleaned_data["reason"]
            ),
        }[form.cleaned_data["decision"]]
        try:
            action()
        except DomainError as exc:
            if exc.status == 409 and exc.code != "blacklist_hit":
                raise
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("enterprises:review_queue")
    return render(
        request,
        "enterprises/review_detail.html",
        {
            "certification": certification,
            "profile": selectors.profile_of(certification.organisation),
            "events": certification.events.select_related("actor"),
            "materials": certification.materials.all(),
            "form": form,
            "decidable": certification.status in QUEUE_STATES,
            "re_review": certification.status == CertificationStatus.RE_REVIEW_REQUIRED,
            "blacklist_hit": selectors.blacklist_hit_for(certification.organisation),
        },
    )


# --- Blacklist ---------------------------------------------------------------------------------


@role_required(Role.OPERATOR)
def blacklist(request):
    query = request.GET.get("q", "").strip()[:100]
    state = request.GET.get("state", "")
    page = Paginator(selectors.blacklist_for(request.user, query=query, state=state), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "enterprises/blacklist.html", {"page": page, "query": query, "state": state})


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def blacklist_edit(request, entry_id: int | None = None):
    entry = selectors.get_blacklist_entry_for(request.user, entry_id) if entry_id else None
    initial = None
    if entry:
        initial = {f: getattr(entry, f) for f in BlacklistEntryForm.base_fields}
    form = BlacklistEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if entry:
                services.update_blacklist_entry(actor=request.user, entry_id=entry.pk, **form.cleaned_data)
            else:
                services.create_blacklist_entry(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            if exc.status == 409:
                raise
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Blacklist entry saved."))
            return redirect("enterprises:blacklist")
    return render(request, "enterprises/blacklist_form.html", {"form": form, "entry": entry})


@role_required(Role.OPERATOR)
@require_POST
def blacklist_end(request, entry_id: int):
    entry = selectors.get_blacklist_entry_for(request.user, entry_id)
    services.end_blacklist_entry(actor=request.user, entry_id=entry.pk)
    messages.success(request, _("The entry has ended and no longer matches."))
    return redirect("enterprises:blacklist")


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def blacklist_import(request):
    form = BlacklistImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.import_blacklist(actor=request.user, upload=form.cleaned_data["file"])
        except DomainError as exc:
            _apply_errors(form, exc)
    return render(request, "enterprises/blacklist_import.html", {"form": form, "report": report})
