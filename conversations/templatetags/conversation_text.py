"""A message as people wrote it, shown as text: every character escaped, line breaks kept,
and web addresses starting http:// or https:// made into links that give the site nothing
(no referrer, no opener, no follow). Nothing else becomes a link: not "javascript:", not
"www.…" without its scheme, not email addresses."""

from __future__ import annotations

import re

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import Urlizer, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


class _HttpLinks(Urlizer):
    url_template = (
        '<a class="govuk-link portal-break-anywhere" href="{href}"'
        ' rel="nofollow noopener noreferrer"{attrs}>{url}</a>'
    )
    # Only what starts with a web scheme: the base class would also link bare domains.
    simple_url_2_re = re.compile(r"(?!)")

    @staticmethod
    def is_email_simple(value: str) -> bool:
        return False  # an email address stays text


_links = _HttpLinks()


@register.filter
def message_text(value: object) -> SafeString:
    text = str(value or "")
    # Each piece comes back escaped (a link built from the escaped address, or the escaped
    # word); format_html_join escapes anything that did not, so nothing is trusted as is.
    pieces = (
        _links.handle_word(word, safe_input=False, nofollow=False, autoescape=True)
        for word in _links.word_split_re.split(text)
    )
    return linebreaksbr(format_html_join("", "{}", ((piece,) for piece in pieces)))


_KINDS = {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}


@register.filter
def file_kind(content_type: str) -> str:
    """A kept file's type as people name it: "PDF", "JPG", "PNG"."""
    return _KINDS.get(content_type, content_type)
