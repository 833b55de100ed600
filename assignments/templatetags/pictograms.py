from django import template

from assignments.pictograms import inline_svg

register = template.Library()


@register.simple_tag
def pictogram(*name, label=None):
    """`{% pictogram "skill-1" %}`, `{% pictogram "skill" skill.number %}`,
    `{% pictogram "part" "questions" label="" %}`: the parts are joined with hyphens."""
    return inline_svg("-".join(str(part) for part in name), label)
