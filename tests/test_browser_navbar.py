"""The menu fits the office's screens: nothing runs off the right edge, whoever has the longest menu."""

import pytest

from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1200, 1280, 1366, 1920])
def test_the_longest_menu_stays_on_screen(page, live_server, leader, width):
    # The team leader who is also an administrator sees every entry of the menu.
    leader.is_staff = True
    leader.save()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server.url, leader.username)
    page.goto(f"{live_server.url}/")
    user_menu = page.get_by_test_id("current-user")
    assert user_menu.is_visible()
    box = user_menu.bounding_box()
    assert box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for name in ("Trang chủ", "Bảng số liệu", "Quản trị"):
        assert page.get_by_role("link", name=name, exact=True).first.is_visible(), name
