from django.contrib.auth.backends import ModelBackend


class ChiboModelBackend(ModelBackend):
    """Loads the user with their member record and committee in the same query, so that
    `permissions.access_for` needs no query of its own on every request."""

    def get_user(self, user_id):
        from meetings.models import User

        user = User.objects.select_related("committee", "member", "member__cell").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
