"""Lending statistics for regulators (#7.10): ECharts charts and the audited xlsx export."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dfsp.accounts.roles import Role
from dfsp.core.access import role_required
from dfsp.postloan import exports, selectors
from dfsp.postloan.forms import StatisticsForm
from dfsp.postloan.selectors.statistics import labels

WAN = 10_000


def _period(form) -> selectors.Period:
    if form.is_valid():
        return selectors.Period(start=form.cleaned_data.get("start"), end=form.cleaned_data.get("end"))
    return selectors.Period()


def _bar(names, values, *, horizontal=False) -> dict:
    category = {"type": "category", "data": names}
    value = {"type": "value"}
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"containLabel": True, "left": 8, "right": 16, "top": 24, "bottom": 8},
        "xAxis": value if horizontal else category,
        "yAxis": category if horizontal else value,
        "series": [{"type": "bar", "data": values}],
    }


def _pie(items) -> dict:
    return {
        "tooltip": {"trigger": "item"},
        "series": [
            {"type": "pie", "radius": ["35%", "65%"], "data": [{"name": n, "value": v} for n, v in items]}
        ],
    }


def charts(stats: dict) -> dict:
    names = labels()
    months = list(stats["by_month"])
    return {
        "by_month": {
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 0},
            "grid": {"containLabel": True, "left": 8, "right": 16, "top": 32, "bottom": 8},
            "xAxis": {"type": "category", "data": months},
            "yAxis": [{"type": "value", "minInterval": 1}, {"type": "value"}],
            "series": [
                {
                    "name": str(_("Loans")),
                    "type": "bar",
                    "data": [stats["by_month"][m]["count"] for m in months],
                },
                {
                    "name": str(_("Amount (10k yuan)")),
                    "type": "line",
                    "yAxisIndex": 1,
                    "data": [round(float(stats["by_month"][m]["amount"]) / WAN, 2) for m in months],
                },
            ],  # fmt: skip
        },
        "by_region": _bar(
            [names["region"](code) or code for code in stats["by_region"]],
            [round(float(row["amount"]) / WAN, 2) for row in stats["by_region"].values()],
            horizontal=True,
        ),
        "by_industry": _pie(
            [
                (str(names["industry"].get(k, k)), round(float(r["amount"]) / WAN, 2))
                for k, r in stats["by_industry"].items()
            ]
        ),
        "by_institution_type": _pie(
            [
                (str(names["institution_type"].get(k, k)), round(float(r["amount"]) / WAN, 2))
                for k, r in stats["by_institution_type"].items()
            ]  # fmt: skip
        ),
        "overdue": _bar(
            [str(names["bucket"][code]) for code in stats["overdue"]],
            [round(row["rate"] * 100, 2) for row in stats["overdue"].values()],
        ),
    }


@role_required(Role.REGULATOR, Role.OPERATOR)
def statistics(request):
    form = StatisticsForm(request.GET or None)
    stats = selectors.lending_statistics(request.user, _period(form))
    names = labels()
    context = {
        "form": form,
        "stats": stats,
        "charts": charts(stats),
        "overdue_rows": [(names["bucket"][code], row) for code, row in stats["overdue"].items()],
        "query": request.GET.urlencode(),
    }
    return render(request, "postloan/statistics.html", context)


@role_required(Role.REGULATOR, Role.OPERATOR)
def statistics_export(request):
    form = StatisticsForm(request.GET or None)
    content, filename = exports.export_statistics(actor=request.user, period=_period(form))
    response = HttpResponse(content, content_type=exports.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
