from decimal import Decimal as D

from dfsp.loans.models import Instalment, Loan


def live(loan):
    return list(Instalment.objects.filter(loan=loan, superseded=False).order_by("due_date", "number"))


def fresh(loan) -> Loan:
    return Loan.objects.get(pk=loan.pk)


def money(value) -> D:
    return D(str(value)).quantize(D("0.01"))
