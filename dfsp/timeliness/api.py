"""Timeliness API."""

from ninja import Router

router = Router(tags=["timeliness"])
