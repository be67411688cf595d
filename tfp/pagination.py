"""The GOV.UK pagination component, fed from a Django ``Page``."""

from __future__ import annotations

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
