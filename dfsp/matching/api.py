"""Matching API."""

from ninja import Router

router = Router(tags=["matching"])
