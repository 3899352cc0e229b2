"""Page-number pagination for the JSON API: ``?page=1&page_size=20``.

Use it as ``@paginate(PagePagination)`` on an operation whose response is ``list[ItemOut]``; the
response becomes ``{"items": [...], "count": N, "page": p, "page_size": s}``. Out-of-range or
non-numeric parameters are refused with 422 in the common error format; a page past the end is an
empty page, not an error.
"""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Schema
from ninja.pagination import PaginationBase
from pydantic import field_validator

# Bounds the SQL OFFSET so that an absurd page number is a 422, never a database overflow.
MAX_PAGE = 100_000


class PagePagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="1-based page number.")
        page_size: int | None = Field(
            None,
            ge=1,
            description="Items per page; defaults to NINJA_PAGINATION_PER_PAGE, "
            "at most NINJA_PAGINATION_MAX_LIMIT.",
        )

        @field_validator("page_size")
        @classmethod
        def _not_above_limit(cls, value: int | None) -> int | None:
            # The limit is read per request: settings are never read at import time.
            limit = settings.NINJA_PAGINATION_MAX_LIMIT
            if value is not None and value > limit:
                raise ValueError(gettext("Ask for at most %(limit)d items per page.") % {"limit": limit})
            return value

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int

    def paginate_queryset(
        self, queryset: QuerySet | list, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page_size = pagination.page_size or settings.NINJA_PAGINATION_PER_PAGE
        offset = (pagination.page - 1) * page_size
        return {
            "items": queryset[offset : offset + page_size],
            "count": self._items_count(queryset),
            "page": pagination.page,
            "page_size": page_size,
        }
