"""core.files.download: what every export and generated document is served with."""

from core.files import download


def test_a_download_is_saved_under_its_name_and_never_sniffed():
    response = download(b"PK...", filename="su-co-20261127.xlsx", content_type="application/zip")
    assert response["Content-Disposition"] == 'attachment; filename="su-co-20261127.xlsx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == b"PK..."


def test_a_vietnamese_file_name_survives_the_header():
    response = download(b"x", filename="Báo cáo tháng.docx", content_type="application/octet-stream")
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''B%C3%A1o%20c%C3%A1o%20th%C3%A1ng.docx"
