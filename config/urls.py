from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core import views as core_views
from team import views as team_views

admin.site.site_header = _("TựQuản administration")
admin.site.site_title = _("TựQuản")
admin.site.index_title = _("System administration")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    # Before Django's own: the reset request is counted and handed to the worker (team/passwords.py).
    path("accounts/password_reset/", team_views.password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("accounts/two-step/", include("mfa.urls")),
    path("team/", include("team.urls")),
    path("notifications/", include("notifications.urls")),
    path("incidents/", include("incidents.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("reports/", include("reports.urls")),
    path("duty/", include("duty.urls")),
    path("visitors/", include("visitors.urls")),
    path("patrols/", include("patrols.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
