from django.utils.functional import SimpleLazyObject

from team.roles import Role, roles_of


def roles(request):
    """`user_roles` (values) and `user_role_labels` in every template, computed only when used."""
    held = SimpleLazyObject(lambda: roles_of(request.user))
    return {
        "user_roles": held,
        "user_role_labels": SimpleLazyObject(lambda: [role.label for role in Role if role in held]),
    }
