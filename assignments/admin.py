from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from assignments.models import Assignment, Skill


class AssignmentInline(admin.StackedInline):
    model = Assignment
    extra = 0
    fields = ["number", "level", "title", "expected_weeks"]
    show_change_link = True


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "competence"]
    search_fields = ["name", "competence"]
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["skill", "number", "level", "title", "expected_weeks"]
    list_display_links = ["title"]
    list_filter = ["skill", "level"]
    search_fields = ["title", "learning_goal", "explanation"]
    list_select_related = ["skill"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["skill", "number", "level", "title", "expected_weeks"]}),
        (
            _("Goal, questions and summary"),
            {
                "fields": [
                    "video_url",
                    "learning_goal",
                    "explanation",
                    "general_questions",
                    "summary",
                ]
            },
        ),
        (_("On the shop floor"), {"fields": ["get_started_task", "look_back_task"]}),
    ]
