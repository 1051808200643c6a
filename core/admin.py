from core.access import can


class AccessControlledAdminMixin:
    """Django admin pages also ask core.access (`access_action`), on top of Django's model permissions.

    The same rule then guards a page in the site and its twin in admin.
    """

    access_action: str

    def _allowed(self, request, obj=None) -> bool:
        return can(request.user, self.access_action, obj)

    def has_module_permission(self, request):
        return self._allowed(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self._allowed(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj) and super().has_delete_permission(request, obj)
