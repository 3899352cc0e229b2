"""Loans API."""

from ninja import Router

router = Router(tags=["loans"])
