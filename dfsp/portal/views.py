from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from dfsp.core.access import login_required_view, public_view, role_required
from dfsp.core.errors import DomainError, NotFound, ValidationFailed
from dfsp.core.navigation import entries_for
from dfsp.portal import selectors, services
from dfsp.portal.forms import AnswerForm, PolicyFilterForm, QuestionForm, WithdrawForm
from dfsp.portal.models import CoursePage

REVIEW_ROLES = ("content_reviewer", "operator")
ANSWER_ROLES = ("operator", "institution_user", "institution_admin")
CMS_ROLES = ("content_editor", "content_reviewer", "operator")


def _page(request, queryset, per_page=20):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@public_view
def home(request):
    context = {
        "tiles": entries_for(request.user),
        "content_version": services.content_version(),
        "content": selectors.home_content(),
        "products": selectors.hot_products(6),
        "supermarket_url": selectors.url_or_empty("institutions:supermarket"),
        "overview": selectors.data_overview(),
        "my_policies": selectors.policies_for_enterprise(request.user),
    }
    return render(request, "portal/home.html", context)


@public_view
def policies(request):
    form = PolicyFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.search_policies(**{k: v for k, v in filters.items() if v})
    context = {
        "form": form,
        "page": _page(request, queryset),
        "authorities": selectors.authorities(),
        "my_policies": selectors.policies_for_enterprise(request.user),
    }
    return render(request, "portal/policies.html", context)


@public_view
def search(request):
    query = request.GET.get("q", "").strip()[:50]
    return render(request, "portal/search.html", {"query": query, "results": selectors.search_content(query)})


@public_view
def data_overview(request):
    overview = selectors.data_overview()
    titles = {
        "enterprises_by_month": _("Registered enterprises by month"),
        "enterprises_by_district": _("Registered enterprises by district"),
        "institutions_by_type": _("Financial institutions by type"),
        "demands_by_month": _("Financing demands published by month"),
        "enterprises_by_industry": _("Registered enterprises by industry"),
        "applications_by_month": _("Financing applications by month"),
        "amount_granted_by_month": _("Loans granted by month (10,000 yuan)"),
        "amount_granted_by_district": _("Loans granted by district (10,000 yuan)"),
        "amount_granted_by_industry": _("Loans granted by industry (10,000 yuan)"),
        "amount_granted_by_institution_type": _("Loans granted by institution type (10,000 yuan)"),
    }
    charts = []
    for number, (key, cells) in enumerate(overview["series"].items(), start=1):
        option = {
            "tooltip": {},
            "grid": {"containLabel": True, "left": 8, "right": 8, "bottom": 8},
            "xAxis": {"type": "category", "data": [cell["label"] for cell in cells]},
            "yAxis": {"type": "value", "minInterval": 1},
            "series": [
                {"type": "bar", "data": [cell["value"] for cell in cells], "itemStyle": {"color": "#0b4f8a"}}
            ],
        }
        charts.append(
            {
                "title": titles.get(key, key),
                "option": option,
                "cells": cells,
                "script_id": f"chart-{number}",
                # Every cell suppressed (or none): a note, not an empty chart.
                "published": any(cell["value"] is not None for cell in cells),
            }
        )
    return render(request, "portal/data_overview.html", {"overview": overview, "charts": charts})


# --- Online questions ---------------------------------------------------------------------------


@public_view
def questions(request):
    return render(request, "portal/questions.html", {"page": _page(request, selectors.public_questions())})


@public_view
def question_detail(request, question_id):
    question = selectors.get_public_question(question_id)
    services.count_question_view(question=question)
    return render(request, "portal/question_detail.html", {"question": question})


@login_required_view
def ask_question(request):
    institutions = list(selectors.institutions())
    form = QuestionForm(request.POST or None, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        chosen = {o.pk: o for o in institutions}.get(form.cleaned_data["institution"])
        try:
            services.ask_question(
                asker=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                institution=chosen,
            )
        except ValidationFailed as exc:
            for field, message in exc.field_errors.items():
                form.add_error(field, message)
        else:
            messages.success(request, _("Your question was received. It becomes public once it is answered."))
            return redirect("portal:my_questions")
    return render(request, "portal/ask_question.html", {"form": form})


@login_required_view
def my_questions(request):
    return render(
        request, "portal/my_questions.html", {"page": _page(request, selectors.questions_of(request.user))}
    )


@role_required(*ANSWER_ROLES)
def questions_manage(request):
    queryset = selectors.questions_to_handle(request.user)
    status = request.GET.get("status", "")
    if status:
        queryset = queryset.filter(status=status)
    return render(
        request, "portal/questions_manage.html", {"page": _page(request, queryset), "status": status}
    )


@role_required(*ANSWER_ROLES)
def question_handle(request, question_id):
    question = selectors.get_question_to_handle(request.user, question_id)
    form = AnswerForm(request.POST or None, initial={"answer": question.answer})
    if request.method == "POST":
        action = request.POST.get("action", "answer")
        try:
            if action == "answer" and form.is_valid():
                services.answer_question(
                    actor=request.user, question_id=question.pk, answer=form.cleaned_data["answer"]
                )
            elif action in ("publish", "reject"):
                services.moderate_question(
                    moderator=request.user, question_id=question.pk, publish=action == "publish"
                )
            elif action == "promote":
                services.promote_to_faq(actor=request.user, question_id=question.pk)
            else:
                return render(request, "portal/question_handle.html", {"question": question, "form": form})
        except ValidationFailed as exc:
            messages.error(request, " ".join(str(m) for m in exc.field_errors.values()) or str(exc.message))
        except NotFound:
            raise
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Saved."))
        return redirect("portal:question_handle", question_id=question.pk)
    return render(request, "portal/question_handle.html", {"question": question, "form": form})


# --- Content staff ------------------------------------------------------------------------------


@role_required(*REVIEW_ROLES)
def withdraw_page(request, page_id):
    page = Page.objects.live().filter(pk=page_id).first()
    if page is None:
        raise NotFound()
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.withdraw_page(actor=request.user, page=page, reason=form.cleaned_data["reason"])
        messages.success(request, _("The content was withdrawn."))
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return render(request, "portal/withdraw.html", {"form": form, "target": page.specific})


@require_POST
@login_required_view
def course_signup(request, page_id):
    course = CoursePage.objects.live().filter(pk=page_id).first()
    if course is None:
        raise NotFound()
    try:
        services.sign_up(user=request.user, course=course)
    except ValidationFailed as exc:
        messages.error(
            request, str(exc.message) if exc.code == "validation_error" else _("Sign-up is not possible.")
        )
    else:
        messages.success(request, _("You are signed up."))
    return redirect(course.url)


@role_required(*CMS_ROLES)
def course_attendance(request, page_id):
    course = CoursePage.objects.filter(pk=page_id).first()
    if course is None:
        raise NotFound()
    if request.method == "POST":
        services.mark_attendance(
            actor=request.user,
            signup_id=int(request.POST.get("signup", 0) or 0),
            attended=request.POST.get("attended") == "1",
        )
        return redirect("portal:course_attendance", page_id=course.pk)
    signups = course.signups.select_related("user")
    return render(request, "portal/course_attendance.html", {"course": course, "signups": signups})
