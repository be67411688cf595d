"""A figure's table row in one call. A caseload table has a row per key worker, each of nine
cells: an include, or even ``format_html``, per cell would cost more than the page's queries,
so the row is written with the standard library's escaping and marked safe once."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from dashboards.figures import Cell

register = template.Library()


def _content(cell: Cell) -> str:
    text = escape(cell.text)
    if cell.tag:
        return f'<strong class="govuk-tag govuk-tag--{escape(cell.tag)}">{text}</strong>'
    if cell.href:
        return f'<a class="govuk-link" href="{escape(cell.href)}">{text}</a>'
    return text


def _cell(cell: Cell, *, header: bool) -> str:
    sort_value = escape("" if cell.value is None else str(cell.value))
    if header:
        opening = '<th scope="row" class="govuk-table__header"'
    elif cell.numeric:
        opening = '<td class="govuk-table__cell govuk-table__cell--numeric"'
    else:
        opening = '<td class="govuk-table__cell"'
    closing = "</th>" if header else "</td>"
    return f'{opening} data-sort-value="{sort_value}">{_content(cell)}{closing}'


@register.simple_tag
def figure_row(cells: list[Cell]) -> SafeString:
    """The row's cells, the first as its row header, each with its sort value."""
    # Every piece of text above is escaped.
    return mark_safe("".join(_cell(cell, header=index == 0) for index, cell in enumerate(cells)))
