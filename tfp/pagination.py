"""The GOV.UK pagination component, fed from a Django ``Page``."""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Page, Paginator


def pagination(page: Page, query) -> dict:
    """The GOV.UK pagination component's items for ``page``, keeping the other parameters."""

    def href(number: int) -> str:
        params = query.copy()
        params["page"] = number
        return "?" + params.urlencode()

    items = [
        {"ellipsis": True}
        if number == Paginator.ELLIPSIS
        else {"number": number, "href": href(number), "current": number == page.number}
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    return {
        "items": items if page.paginator.num_pages > 1 else [],
        "previous": href(page.previous_page_number()) if page.has_previous() else None,
        "next": href(page.next_page_number()) if page.has_next() else None,
    }


class _Counted:
    """One page of rows and the count of them all, as a ``Paginator`` reads them."""

    def __init__(self, total: int, offset: int, rows: list):
        self.total, self.offset, self.rows = total, offset, rows

    def count(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list:
        return self.rows[window.start - self.offset : window.stop - self.offset]


def counted_page(query, per_page: int, fetch: Callable[[int, int], tuple[int, list]]) -> Page:
    """The page ``query["page"]`` asks for, from a statement that returns a page of rows and
    the count of them all at once (``count(*) OVER ()``): ``fetch(limit, offset)``."""
    value = query.get("page", "")
    number = int(value) if value.isdigit() and int(value) > 0 else 1
    offset = (number - 1) * per_page
    total, rows = fetch(per_page, offset)
    return Paginator(_Counted(total, offset, rows), per_page).get_page(number)
