"""A business action that stores uploaded files is one transaction, and a failed one leaves no file behind
(core.files.stored_atomically: filing an incident, adding information or evidence, writing in the duty log)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core.files import stored_atomically
from duty import services as duty_services
from duty.models import LogEntry
from tests.support.duty import shift_now


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_files_of_a_failed_action_are_deleted_and_those_of_a_done_one_kept(db):
    with stored_atomically() as written:
        written.append(default_storage.save("kept.txt", ContentFile(b"x")))
    with pytest.raises(RuntimeError), stored_atomically() as written:
        written.append(default_storage.save("lost.txt", ContentFile(b"x")))
        raise RuntimeError("the action failed after storing its file")
    assert default_storage.exists("kept.txt") and not default_storage.exists("lost.txt")


def test_a_log_entry_refused_after_its_photo_was_stored_leaves_no_photo(team, member, tmp_path):
    from core.uploads import SafeUpload

    shift = shift_now(team, member)
    photo = SafeUpload("cua.png", "image/png", ".png", b"\x89PNG fake", is_image=True)
    with pytest.raises(Exception):  # noqa: B017  (ValidationError: an entry needs its text)
        duty_services.write_entry(shift=shift, author=member, fields={"text": ""}, photo=photo)
    assert not LogEntry.objects.exists()
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []
