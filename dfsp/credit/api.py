"""Decision models API."""

from ninja import Router

router = Router(tags=["credit"])
