from operator import attrgetter

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wpo.models import AuditEvent, BusinessUnit, Department, Membership, Person

admin.site.site_header = _("WPO tracker — administration")
admin.site.site_title = _("WPO tracker")
# The admin shows every row, outside the access policy: it is the administrator's alone, not
# something a staff flag or a model permission opens to a coach.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser


class ReadOnlyAdmin:
    """For rows that change only through the app's steps (the services, with their checks and
    history) or never: the admin shows them and changes nothing, not by a form, a history
    revert or a delete. `app_page` names the page where the step is taken, as the URL name
    and the attribute holding its pk; the change form links to it ("View on site")."""

    app_page: tuple[str, str] | None = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # the history's "revert" saves without asking for the change permission
        raise PermissionDenied

    def view_on_site(self, obj):
        if self.app_page is None:
            return None
        name, attribute = self.app_page
        return reverse(name, args=[attrgetter(attribute)(obj)])


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


@admin.register(BusinessUnit)
class BusinessUnitAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    inlines = [DepartmentInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "business_unit"]
    list_filter = ["business_unit"]
    search_fields = ["name", "business_unit__name"]
    list_select_related = ["business_unit"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "department", "employee_number", "user"]
    list_filter = ["memberships__role", "department__business_unit", "department"]
    search_fields = ["first_name", "last_name", "employee_number", "user__username"]
    list_select_related = ["department", "user"]
    autocomplete_fields = ["department", "user"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "department"]
    list_filter = ["role", "department"]
    search_fields = ["person__first_name", "person__last_name", "department__name"]
    list_select_related = ["person", "department"]
    autocomplete_fields = ["person", "department"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The audit log is read, never written, by hand."""

    list_display = ["at", "action", "user", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["user__username", "object_id"]
    list_select_related = ["user"]
    date_hierarchy = "at"
