"""The reporter adds information later, with photos checked as when filing; a form that comes back with an
error says that the files chosen were not sent."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from core import uploads
from incidents import services
from incidents.models import Attachment, Incident, IncidentEvent, Severity
from tests.support.incidents import report

LOST = "Các tệp đã chọn chưa được gửi; vui lòng chọn lại."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def photo(name="bien-so.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "blue").save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def disguised(name="anh.jpg"):
    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    fake.name = name
    return fake


def add_info(client, incident, text="Biển số xe lạ: 29A-123.45", files=()):
    return client.post(reverse("incidents:info", args=[incident.pk]), {"text": text, "attachments": list(files)})


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()]


def test_the_reporter_adds_a_photo_that_arrives_with_the_incident_and_on_his_timeline(client, staff, category):
    incident = report(staff, category)
    client.force_login(staff)
    response = add_info(client, incident, files=[photo()])
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    attachment = incident.attachments.get()
    assert attachment.original_name == "bien-so.jpg" and attachment.uploaded_by == staff
    assert attachment.content_type == "image/jpeg"
    page = client.get(incident.get_absolute_url()).content.decode()
    assert f"Đã bổ sung thông tin vào vụ việc {incident.reference}." in page
    timeline = page.split('data-testid="timeline"')[1]
    assert "Biển số xe lạ: 29A-123.45" in timeline and "Đã thêm tệp đính kèm: bien-so.jpg" in timeline
    link = reverse("incidents:attachment", args=[attachment.pk])
    assert f'<img src="{link}" alt="bien-so.jpg"' in timeline
    assert client.get(link).status_code == 200


def test_a_disguised_file_is_refused_nothing_is_kept_and_the_text_stays(client, staff, category, media):
    incident = report(staff, category)
    client.force_login(staff)
    response = add_info(client, incident, text="Thêm ảnh hiện trường", files=[photo(), disguised()])
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tệp “anh.jpg” không thuộc định dạng được chấp nhận" in page
    assert LOST in page
    assert "Thêm ảnh hiện trường" in page  # what he typed is still in the box
    assert not Attachment.objects.exists() and stored_files(media) == []
    assert not IncidentEvent.objects.filter(incident=incident, action=IncidentEvent.Action.INFO).exists()


def test_the_same_limits_as_filing(client, staff, category, settings):
    incident = report(staff, category)
    client.force_login(staff)
    response = add_info(client, incident, files=[photo(f"anh-{n}.jpg") for n in range(uploads.MAX_FILES + 1)])
    assert response.status_code == 200
    assert f"Chỉ được đính kèm tối đa {uploads.MAX_FILES} tệp." in response.content.decode()
    assert not Attachment.objects.exists()


def test_files_written_before_a_failure_are_deleted(staff, category, media, monkeypatch):
    incident = report(staff, category)
    data = photo().getvalue()
    checked = uploads.inspect_uploads([SimpleUploadedFile("anh.jpg", data, content_type="image/jpeg")])

    def broken(*args, **kwargs):
        raise RuntimeError("the notice could not be written")

    monkeypatch.setattr(services.notices, "tell", broken)
    Incident.objects.filter(pk=incident.pk).update(assignee=staff)  # someone to tell: the notice fails
    with pytest.raises(RuntimeError):
        services.add_info(incident_id=incident.pk, actor=staff, text="Thêm ảnh", uploads=checked)
    assert not Attachment.objects.exists() and stored_files(media) == []


def test_someone_else_cannot_add_information_or_files(client, staff, category, make_user, media):
    incident = report(staff, category)
    client.force_login(make_user("Người khác"))
    assert add_info(client, incident, files=[photo()]).status_code == 404
    assert not Attachment.objects.exists() and stored_files(media) == []


def test_a_filing_form_that_comes_back_says_the_files_were_not_sent(client, staff, category):
    client.force_login(staff)
    now = timezone.localtime()
    data = {
        "category": category.pk,
        "occurred_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),  # in the future: an error
        "detected_at": now.strftime("%Y-%m-%dT%H:%M"),
        "description": "Mất ví",
        "proposed_severity": Severity.MEDIUM,
    }
    with_files = client.post(reverse("incidents:new"), {**data, "attachments": [photo()]})
    assert with_files.status_code == 200 and LOST in with_files.content.decode()
    without_files = client.post(reverse("incidents:new"), data)
    assert without_files.status_code == 200 and LOST not in without_files.content.decode()
    assert not Incident.objects.exists()
