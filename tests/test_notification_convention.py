"""One form of address in every notification (README, "Notifications"): the reader is "đồng chí", never "bạn";
another person is "đ/c <name>"; the mail alone opens with "Kính gửi đồng chí <full name>,"."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.template import loader
from django.template.loader_tags import IncludeNode
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.urls import reverse
from django.utils import translation

import campaigns.notices
import dashboard.digest
import duty.notices
import evaluations.notices
import incidents.notices
import reports.notices
import team.notices
import visitors.notices
from notifications import delivery, kinds
from notifications.models import Notification
from notifications.services import notify
from tests.support.incidents import report

# Every kind registered:
assert campaigns.notices and dashboard.digest and evaluations.notices and incidents.notices and reports.notices
assert team.notices and duty.notices and visitors.notices

# Placeholders that stand for a person other than the reader.
PEOPLE = ("person", "nominee")


def sentences(template_name: str) -> list[str]:
    """Every translatable sentence of a template and of the templates it includes, whatever branch renders."""
    nodes = loader.get_template(template_name).template.nodelist
    found = [node.filter_expression.var.literal for node in nodes.get_nodes_by_type(TranslateNode)]
    for node in nodes.get_nodes_by_type(BlockTranslateNode):
        found.append(node.render_token_list(node.singular)[0])
        if node.plural:
            found.append(node.render_token_list(node.plural)[0])
    for node in nodes.get_nodes_by_type(IncludeNode):
        found += sentences(node.template.var)
    return found


def vietnamese(kind: kinds.Kind) -> list[str]:
    with translation.override("vi"):
        texts = [str(kind.label)]
        for template_name in (kind.subject_template, kind.body_template):
            texts += [translation.gettext(sentence) for sentence in sentences(template_name)]
    return texts


def test_the_walk_sees_every_kind_and_its_included_facts():
    codes = {kind.code for kind in kinds.all_kinds()}
    folders = {
        folder.name for folder in (settings.BASE_DIR / "templates" / "notifications").iterdir() if folder.is_dir()
    }
    assert codes == folders and len(codes) == 34
    assert "Địa điểm:" in vietnamese(kinds.get("incidents.filed"))  # from _incident_facts.txt


@pytest.mark.parametrize("kind", kinds.all_kinds(), ids=lambda kind: kind.code)
def test_every_kind_calls_the_reader_dong_chi_and_others_dc(kind):
    texts = vietnamese(kind)
    for text in texts:
        assert not re.search(r"\bbạn\b", text, re.IGNORECASE), text
        # The salutation belongs to the mail (notifications.delivery.salutation), never to one kind's text.
        assert not re.search(r"kính gửi|xin chào|thân mến", text, re.IGNORECASE), text
        for name in PEOPLE:
            for found in re.finditer(rf"%\({name}\)s", text):
                assert text[: found.start()].lower().endswith("đ/c "), text


def test_every_mail_opens_with_the_salutation_and_the_inbox_does_not(client, staff, make_user):
    colleague = make_user("Đặng Thị Thu")
    sent = notify(
        recipient=staff,
        kind="evaluations.reopened",
        context={"evaluation": {"year": 2026}, "actor": colleague, "reason": "Thiếu minh chứng 3.đ"},
        url="/evaluations/",
    )
    mail.outbox.clear()
    delivery.deliver(sent.deliveries.get().pk)
    body = mail.outbox[0].body
    assert body.startswith("Kính gửi đồng chí Phạm Thị Hoa,\n\nĐ/c Đặng Thị Thu đã mở lại đánh giá năm 2026")
    assert "Kính gửi" not in sent.body

    client.force_login(staff)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "Đ/c Đặng Thị Thu đã mở lại" in inbox and "Kính gửi" not in inbox


def test_an_english_reader_is_greeted_in_english(staff, category, leader):
    leader.language = "en"
    leader.save()
    report(staff, category)
    told = Notification.objects.get(recipient=leader, kind="incidents.filed")
    mail.outbox.clear()
    delivery.deliver(told.deliveries.get().pk)
    assert mail.outbox[0].body.startswith("Dear Hoàng Văn Minh,\n\nA new incident was reported: VV-")
