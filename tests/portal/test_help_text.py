"""A field's hint is text: escaped like everything else, unless built with format_html."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html


class HintedForm(forms.Form):
    typed = forms.CharField(help_text='<script>alert("hint")</script> & more')
    linked = forms.CharField(
        help_text=format_html('<a class="govuk-link" href="{}">{}</a>', "/help/", "<Help>")
    )


def test_a_help_text_with_markup_in_it_renders_escaped():
    html = str(HintedForm())

    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;hint&quot;)&lt;/script&gt; &amp; more" in html
    assert 'id="id_typed-hint"' in html


def test_a_help_text_built_with_format_html_keeps_its_markup_and_escapes_its_values():
    html = str(HintedForm())

    assert '<a class="govuk-link" href="/help/">&lt;Help&gt;</a>' in html
