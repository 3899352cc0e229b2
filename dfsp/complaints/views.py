from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dfsp.complaints import selectors, services
from dfsp.complaints.forms import (
    PLATFORM_SERVICES,
    CodeForm,
    ComplaintForm,
    HandleForm,
    LookupForm,
    RatingForm,
)
from dfsp.complaints.states import ComplaintKind, ComplaintStatus, SubjectKind
from dfsp.core.access import public_view, role_required
from dfsp.core.errors import DomainError, NotFound, ValidationFailed
from dfsp.core.masking import mask_mobile, mask_name

FILED_KEY = "complaints:filed"
LOOKUP_KEY = "complaints:lookup"


@public_view
def file_complaint(request):
    institutions = list(selectors.institutions())
    form = ComplaintForm(request.POST or None, request.FILES or None, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.file_complaint(
                filer=request.user,
                kind=data["kind"],
                subject_kind=data["subject_kind"],
                institution={o.pk: o for o in institutions}.get(data["institution"]),
                service=data["service"],
                title=data["title"],
                content=data["content"],
                contact_name=data["contact_name"],
                contact_mobile=data["contact_mobile"],
                attachments=data["attachments"],
            )
        except ValidationFailed as exc:
            for field, errors in exc.field_errors.items():
                form.add_error(field, errors)
        else:
            request.session[FILED_KEY] = complaint.tracking_number
            return redirect("complaints:filed")
    return render(request, "complaints/file.html", {"form": form})


@public_view
def filed(request):
    tracking_number = request.session.pop(FILED_KEY, None)
    if not tracking_number:
        return redirect("complaints:lookup")
    return render(request, "complaints/filed.html", {"tracking_number": tracking_number})


@public_view
def lookup(request):
    lookup_form = LookupForm(request.POST or None)
    code_form = None
    if request.method == "POST" and request.POST.get("step") == "code":
        code_form = CodeForm(request.POST)
        if code_form.is_valid():
            try:
                complaint = services.verify_lookup_code(
                    tracking_number=code_form.cleaned_data["tracking_number"],
                    code=code_form.cleaned_data["code"],
                )
            except NotFound:
                code_form.add_error("code", _("The tracking number or the code is not valid."))
            else:
                request.session[LOOKUP_KEY] = complaint.pk
                return redirect("complaints:track")
        lookup_form = LookupForm()
    elif request.method == "POST" and lookup_form.is_valid():
        services.send_lookup_code(
            tracking_number=lookup_form.cleaned_data["tracking_number"],
            mobile=lookup_form.cleaned_data["mobile"],
        )
        messages.info(
            request, _("If the tracking number and mobile number match, a code has been sent by SMS.")
        )
        messages.info(request, _("A new code can be requested once a minute, at most five times a day."))
        code_form = CodeForm(initial={"tracking_number": lookup_form.cleaned_data["tracking_number"]})
    return render(request, "complaints/lookup.html", {"lookup_form": lookup_form, "code_form": code_form})


def _looked_up(request):
    return selectors.get_looked_up(request.session.get(LOOKUP_KEY))


@public_view
def track(request):
    complaint = _looked_up(request)
    if complaint is None:
        return redirect("complaints:lookup")
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_complaint(
                complaint=complaint,
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            if exc.status != 409:
                raise
            messages.error(
                request, _("This case cannot be rated now: it has no reply yet or is already closed.")
            )
        else:
            messages.success(request, _("Thank you for your rating."))
        return redirect("complaints:track")
    return render(
        request, "complaints/track.html", {"complaint": complaint, "form": form, "Status": ComplaintStatus}
    )


@role_required("operator")
def manage(request):
    status, kind = request.GET.get("status", ""), request.GET.get("kind", "")
    page = Paginator(selectors.list_complaints_for(request.user, status=status, kind=kind), 20).get_page(
        request.GET.get("page")
    )
    for complaint in page:
        complaint.masked_name = mask_name(complaint.contact_name)
        complaint.masked_mobile = mask_mobile(complaint.contact_mobile)
    context = {
        "page": page,
        "status": status,
        "kind": kind,
        "statuses": ComplaintStatus.choices,
        "kinds": ComplaintKind.choices,
    }
    return render(request, "complaints/manage.html", context)


@role_required("operator")
def handle(request, complaint_id):
    complaint = selectors.get_complaint_for(request.user, complaint_id)
    staff = selectors.staff_users()
    form = HandleForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        try:
            if action == "accept":
                services.accept_complaint(actor=request.user, complaint_id=complaint.pk)
            elif action == "assign":
                assignee = {u.pk: u for u in staff}.get(form.cleaned_data["assignee"])
                services.assign_complaint(actor=request.user, complaint_id=complaint.pk, assignee=assignee)
            elif action == "reply":
                services.reply_complaint(
                    actor=request.user, complaint_id=complaint.pk, reply=form.cleaned_data["reply"]
                )
            else:
                services.close_complaint(actor=request.user, complaint_id=complaint.pk)
        except ValidationFailed as exc:
            messages.error(
                request,
                " ".join(str(m) for errors in exc.field_errors.values() for m in errors) or str(exc.message),
            )
        except DomainError as exc:
            if exc.status != 409:
                raise
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Saved."))
        return redirect("complaints:handle", complaint_id=complaint.pk)
    context = {"complaint": complaint, "form": form, "Status": ComplaintStatus, "staff": staff}
    return render(request, "complaints/handle.html", context)


@role_required("operator")
def attachment(request, complaint_id, attachment_id):
    item = selectors.open_attachment_for(request.user, complaint_id, attachment_id)
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.original_name, content_type=item.content_type
    )


@role_required("operator", "regulator")
def statistics(request):
    stats = selectors.statistics()
    kind_labels, status_labels = dict(ComplaintKind.choices), dict(ComplaintStatus.choices)
    chart = {
        "tooltip": {},
        "xAxis": {"type": "category", "data": [str(kind_labels.get(k, k)) for k in stats["by_kind"]]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"type": "bar", "data": list(stats["by_kind"].values())}],
    }
    by_status = [(str(status_labels.get(k, k)), v) for k, v in stats["by_status"].items()]
    subject_labels = dict(SubjectKind.choices)
    subject_chart = {
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "type": "pie",
                "radius": "60%",
                "data": [
                    {"name": str(subject_labels.get(k, k)), "value": v}
                    for k, v in stats["by_subject"].items()
                ],
            }
        ],
    }
    service_labels = dict(PLATFORM_SERVICES)
    services_rows = [
        {**row, "label": service_labels.get(row["service"], row["service"])} for row in stats["services"]
    ]
    context = {
        "stats": stats,
        "chart": chart,
        "subject_chart": subject_chart,
        "by_status": by_status,
        "services_rows": services_rows,
    }
    return render(request, "complaints/statistics.html", context)
