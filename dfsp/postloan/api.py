"""Post-loan API."""

from ninja import Router

router = Router(tags=["postloan"])
