"""A campaign in a test: ten days from today, organised by a team member, with what the test does not check filled."""

from datetime import timedelta

from django.utils import timezone

from campaigns.models import Campaign, Material, Session


def campaign_of(organiser, **fields) -> Campaign:
    today = timezone.localdate()
    return Campaign.objects.create(
        **{
            "title": "Quán triệt nội quy",
            "theme": "internal_rules",
            "organiser": organiser,
            "starts_on": today,
            "ends_on": today + timedelta(days=10),
            "counts_for_tt124": True,
            **fields,
        }
    )


def session_now(campaign, **fields) -> Session:
    """A session that began five minutes ago and lasts the hour: its check-in code works now."""
    now = timezone.now()
    return Session.objects.create(
        campaign=campaign, starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=1), **fields
    )


def rules_material(campaign, **fields) -> Material:
    return Material.objects.create(
        **{"campaign": campaign, "title": "Nội quy cơ quan", "link": "https://example.test/noi-quy", **fields}
    )
