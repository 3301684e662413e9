"""Lists answer ``{"items": [...], "count": N}`` with ``limit`` (1 to 200, default 50) and
``offset``; anything outside those bounds is a 422 naming the parameter."""

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = settings.NINJA_PAGINATION_MAX_LIMIT
DEFAULT_LIMIT = settings.NINJA_PAGINATION_PER_PAGE
# Far beyond any list here, and far inside what every database accepts as an OFFSET.
MAX_OFFSET = 1_000_000_000


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT} items.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")


class Pagination(LimitOffsetPagination):
    Input = PageParams

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
