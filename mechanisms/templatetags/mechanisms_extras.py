from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "")


@register.filter
def count_true(flags):
    return sum(1 for flag in flags if flag)
