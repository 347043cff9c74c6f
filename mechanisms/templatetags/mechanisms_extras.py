from django import template
from django.utils.html import format_html

from config.common.translation import missing_translations, shown_language

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "")


@register.filter
def count_true(flags):
    return sum(1 for flag in flags if flag)


@register.inclusion_tag("translation_badge.html", takes_context=True)
def translation_badge(context, obj, *fields):
    """For staff only: which texts still lack a translation, each named with its language
    ("venue (French), concept note (Portuguese)"), so the secretariat knows what to fill in."""
    user = context.get("user")
    # meetings.roles.MANAGE_MEETINGS, spelt out: the directory imports nothing of meetings
    if user is None or not (user.is_staff or user.has_perm("meetings.change_meeting")):
        return {"missing": []}
    columns = [
        obj._meta.get_field(f"{field}_{code}").verbose_name
        for field in fields
        for code in missing_translations(obj, field)
    ]
    return {"missing": columns}


@register.filter
def language_of(obj, field: str) -> str:
    """For a lang attribute: the language a translated field is shown in (it may fall back)."""
    return shown_language(obj, field)


@register.filter
def in_its_language(obj, field: str) -> str:
    """A translated field's text marked with the language it is shown in, for a sentence of
    the interface (`Chair: …`): a screen reader reads an English fallback as English."""
    return format_html('<span lang="{}">{}</span>', shown_language(obj, field), getattr(obj, field))
