"""Calendar pages (operators edit; operators and regulators read) and the time-limit table."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dfsp.accounts.roles import Role
from dfsp.core.access import role_required
from dfsp.core.errors import DomainError
from dfsp.workdays import selectors, services
from dfsp.workdays.forms import DayForm, TimeLimitForm
from dfsp.workdays.labels import display

READERS = (Role.OPERATOR, Role.REGULATOR)


def _apply_errors(form, exc: DomainError) -> None:
    if exc.field_errors:
        for name, message in exc.field_errors.items():
            form.add_error(name if name in form.fields else None, message)
    else:
        form.add_error(None, exc.message)


@role_required(*READERS)
def calendar_home(request):
    return redirect("workdays:year", year=timezone.localdate().year)


@role_required(*READERS)
def year_view(request, year: int):
    if not 2000 <= year <= 2100:
        return redirect("workdays:year", year=timezone.localdate().year)
    days = [
        {"row": row, "name": display(row.name), "note": display(row.note), "weekday": row.day.weekday()}
        for row in selectors.days_in_year(year)
    ]
    return render(
        request,
        "workdays/year.html",
        {
            "year": year,
            "days": days,
            "holidays": sum(1 for d in days if d["row"].kind == "holiday"),
            "workdays": sum(1 for d in days if d["row"].kind == "workday"),
            "provisional": selectors.provisional_count(year),
            "seeded": year in selectors.seeded_years(),
            "can_edit": request.user.has_role(Role.OPERATOR),
            "form": DayForm(initial={"day": dt.date(year, 1, 1)}),
        },
    )


@role_required(Role.OPERATOR)
@require_POST
def seed_year(request, year: int):
    try:
        created = services.seed_year(actor=request.user, year=year)
    except DomainError as exc:
        if exc.status == 403:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(count)d days added.") % {"count": created})
    return redirect("workdays:year", year=year)


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def day_edit(request, day: str | None = None):
    existing = None
    if day:
        try:
            existing = selectors.get_day(dt.date.fromisoformat(day))
        except ValueError:
            existing = None
        if existing is None:
            messages.error(request, _("That date has no entry; add it instead."))
            return redirect("workdays:day_add")
    initial = (
        {"day": existing.day, "kind": existing.kind, "name": existing.name, "note": existing.note}
        if existing
        else {"day": request.GET.get("day") or None}
    )
    form = DayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if existing and data["day"] != existing.day:
            form.add_error("day", _("The date of an entry cannot change; delete it and add the new date."))
        else:
            try:
                row = services.save_day(actor=request.user, **data)
            except DomainError as exc:
                if exc.status == 403:
                    raise
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Calendar updated."))
                return redirect("workdays:year", year=row.day.year)
    return render(request, "workdays/day_form.html", {"form": form, "existing": existing})


@role_required(Role.OPERATOR)
@require_POST
def day_delete(request, day: str):
    try:
        when = dt.date.fromisoformat(day)
    except ValueError:
        messages.error(request, _("Enter a valid date."))
        return redirect("workdays:home")
    services.delete_day(actor=request.user, day=when)
    messages.success(request, _("Entry deleted; the date follows the weekend rule again."))
    return redirect("workdays:year", year=when.year)


@role_required(*READERS)
def time_limits(request):
    return render(
        request,
        "workdays/time_limits.html",
        {"rows": selectors.time_limit_table(), "can_edit": request.user.has_role(Role.OPERATOR)},
    )


@role_required(Role.OPERATOR)
@require_POST
def time_limit_save(request):
    form = TimeLimitForm(request.POST)
    if form.is_valid():
        try:
            services.set_time_limit(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            if exc.status == 403:
                raise
            for message in exc.field_errors.values() or [exc.message]:
                messages.error(request, message)
        else:
            messages.success(request, _("Time limit saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("workdays:time_limits")
