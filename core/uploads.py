"""What may be uploaded (incident attachments, campaign materials, evaluation evidence), checked first.

A file is judged by its bytes, never by its name or the Content-Type the browser sent: both are
chosen by whoever uploads it.

- At most `MAX_FILES` files per report, each between 1 byte and `MAX_FILE_BYTES`.
- Photos: JPEG, PNG and WebP, recognised by their magic bytes. Each one is decoded by Pillow and
  encoded again from its pixels alone, upright (EXIF orientation applied) and in sRGB. Nothing else
  survives: no EXIF (so no GPS position of the person who took it), no XMP, comments or ICC profile,
  and nothing appended to the file (a PNG that is also an HTML page comes out as just a PNG).
  Images over `MAX_IMAGE_PIXELS` are refused before their pixels are decoded.
- PDF: must start with ``%PDF-``. Stored as uploaded.
- Office documents, stored as uploaded:
  - OOXML (docx, xlsx, pptx): a ZIP with ``[Content_Types].xml``; which one it is follows from the
    top-level folder of its parts (``word/``, ``xl/``, ``ppt/``).
  - OpenDocument (odt, ods): a ZIP whose ``mimetype`` member names the type.
  - Legacy doc and xls: OLE2 compound files. The container does not say which of the two it is,
    so the original extension decides, if it is ``.doc`` or ``.xls`` and the file holds the
    stream that kind of document has (``WordDocument``; ``Workbook`` or ``Book``).
  A ZIP that is none of these, or claims to unpack to more than `MAX_UNZIPPED_BYTES`, is refused.
- Everything else is refused: SVG and any other markup, HTML, executables, archives, unknown bytes.

The display name keeps the uploader's wording (Vietnamese letters included) but loses any path,
control characters and characters that are unsafe in file names or headers, and its extension is
replaced by the one matching the detected type.

`inspect_upload` raises `ValidationError` naming the file; `inspect_uploads` collects the errors of
all files into one `ValidationError`. Bad input never raises anything else.
"""

import io
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps

MAX_FILES = 10
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # phone photos are 12-24 MP; decoding 40 MP already takes up to 160 MB
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
MAX_NAME_LENGTH = 200

# Process-wide: any other Pillow use in this process also refuses images over twice this (Pillow's
# DecompressionBombError). Our own, lower limit is checked explicitly in `_check_pixels`.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

TOO_MANY_FILES = _("You can attach at most %(count)d files.")
EMPTY = _("“%(name)s” is empty.")
TOO_LARGE = _("“%(name)s” is larger than %(megabytes)d MB.")
NOT_ACCEPTED = _("“%(name)s” is not an accepted file type. Send photos (JPEG, PNG, WebP), PDF or office documents.")
INVALID_IMAGE = _("“%(name)s” is not a valid image.")
IMAGE_TOO_LARGE = _("“%(name)s” is too large an image (more than %(megapixels)d megapixels).")
INVALID_DOCUMENT = _("“%(name)s” is damaged or not a valid document.")

CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
IMAGE_EXTENSIONS = frozenset({".jpg", ".png", ".webp"})

_JPEG_MAGIC = b"\xff\xd8\xff"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF8_BOM = b"\xef\xbb\xbf"

_OOXML_FOLDERS = {"word/": ".docx", "xl/": ".xlsx", "ppt/": ".pptx"}
_OPENDOCUMENT_TYPES = {CONTENT_TYPES[".odt"]: ".odt", CONTENT_TYPES[".ods"]: ".ods"}
# Directory entries of OLE2 files hold stream names in UTF-16LE.
_OLE2_STREAMS = {
    ".doc": ("WordDocument".encode("utf-16-le"),),
    ".xls": ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le")),
}

_PILLOW_FORMATS = {".jpg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
_SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    ".jpg": {"quality": 85, "optimize": True},
    ".png": {},
    ".webp": {"quality": 85},
}
# What Pillow raises on hostile or broken input (the list its own fuzzing tests accept, plus the
# low-level errors its parsers let through); anything else is a bug worth a 500.
_IMAGE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    NotImplementedError,
    MemoryError,
    struct.error,
)
# RuntimeError: zipfile's answer to reading an encrypted member.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    ValueError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    zlib.error,
)
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_UNSAFE_NAME_CHARACTERS = str.maketrans(dict.fromkeys('<>:"|?*', "_"))
_FALLBACK_NAME = "file"


@dataclass(frozen=True)
class SafeUpload:
    original_name: str  # display name, sanitised, with the extension of the detected type
    content_type: str  # from the bytes, never from the client
    extension: str
    data: bytes  # what to store: images re-encoded, documents as uploaded
    is_image: bool


class _Refused(Exception):
    """A file is refused; `inspect_upload` turns this into a ValidationError naming the file."""

    def __init__(self, message: Any, code: str, **params: Any) -> None:
        super().__init__(code)
        self.message = message
        self.code = code
        self.params = params


def inspect_uploads(files: Sequence[UploadedFile]) -> list[SafeUpload]:
    """Check every file of one report; one ValidationError lists every refused file."""
    if len(files) > MAX_FILES:
        # Refused before any file is read: no point decoding eleven photos to reject them all.
        raise ValidationError(TOO_MANY_FILES, code="too_many_files", params={"count": MAX_FILES})
    accepted: list[SafeUpload] = []
    errors: list[ValidationError] = []
    for uploaded_file in files:
        try:
            accepted.append(inspect_upload(uploaded_file))
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    return accepted


def inspect_upload(uploaded_file: UploadedFile) -> SafeUpload:
    """Return what may be stored for this file, or raise ValidationError naming it."""
    name = _clean_name(uploaded_file.name or "")
    try:
        data = _read(uploaded_file)
        extension = _detect_type(data, _client_extension(name))
        if extension in IMAGE_EXTENSIONS:
            data = _reencode_image(data, extension)
    except _Refused as refusal:
        display_name = name[:MAX_NAME_LENGTH] or _FALLBACK_NAME
        raise ValidationError(
            refusal.message, code=refusal.code, params={"name": display_name, **refusal.params}
        ) from None
    return SafeUpload(
        original_name=_with_extension(name, extension),
        content_type=CONTENT_TYPES[extension],
        extension=extension,
        data=data,
        is_image=extension in IMAGE_EXTENSIONS,
    )


# --- reading


def _read(uploaded_file: UploadedFile) -> bytes:
    megabytes = MAX_FILE_BYTES // (1024 * 1024)
    # The declared size is checked first so an oversized file is never read into memory...
    if uploaded_file.size == 0:
        raise _Refused(EMPTY, "empty")
    if uploaded_file.size is not None and uploaded_file.size > MAX_FILE_BYTES:
        raise _Refused(TOO_LARGE, "too_large", megabytes=megabytes)
    uploaded_file.seek(0)
    data = uploaded_file.read(MAX_FILE_BYTES + 1)
    # ...and the bytes actually read, in case the declared size was wrong.
    if not data:
        raise _Refused(EMPTY, "empty")
    if len(data) > MAX_FILE_BYTES:
        raise _Refused(TOO_LARGE, "too_large", megabytes=megabytes)
    return data


# --- recognising the type


def _detect_type(data: bytes, client_extension: str) -> str:
    """The extension for what the bytes are; only accepted types get one."""
    if _looks_like_markup(data):
        raise _Refused(NOT_ACCEPTED, "markup")
    if data.startswith(_JPEG_MAGIC):
        return ".jpg"
    if data.startswith(_PNG_MAGIC):
        return ".png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    if data.startswith(_PDF_MAGIC):
        return ".pdf"
    if data.startswith(_ZIP_MAGIC):
        return _zip_document_type(data)
    if data.startswith(_OLE2_MAGIC):
        return _ole2_document_type(data, client_extension)
    raise _Refused(NOT_ACCEPTED, "unknown_type")


def _looks_like_markup(data: bytes) -> bool:
    # Nothing starting with "<" is accepted anyway; saying so explicitly keeps SVG (which can carry
    # scripts), HTML and XML out even if a format with a lenient magic is added later.
    head = data[:1024].removeprefix(_UTF8_BOM).lstrip()
    return head.startswith(b"<")


def _zip_document_type(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_not_a_zip_bomb(members)
            names = {member.filename for member in members}
            if "[Content_Types].xml" in names:
                return _ooxml_type(names)
            if "mimetype" in names:
                return _opendocument_type(archive)
    except _ZIP_ERRORS as error:
        raise _Refused(INVALID_DOCUMENT, "broken_zip") from error
    raise _Refused(NOT_ACCEPTED, "plain_zip")


def _check_not_a_zip_bomb(members: list[zipfile.ZipInfo]) -> None:
    # We never unpack documents, but whoever opens them later (Office, a previewer, an indexer) will.
    # The sizes are the ones the archive declares, which is what those readers trust too.
    if len(members) > MAX_ZIP_MEMBERS or sum(member.file_size for member in members) > MAX_UNZIPPED_BYTES:
        raise _Refused(INVALID_DOCUMENT, "zip_bomb")


def _ooxml_type(names: set[str]) -> str:
    found = {extension for folder, extension in _OOXML_FOLDERS.items() if any(n.startswith(folder) for n in names)}
    if len(found) != 1:
        # No main part, or the parts of two kinds of document: not something Office would open.
        raise _Refused(NOT_ACCEPTED, "unknown_ooxml")
    return found.pop()


def _opendocument_type(archive: zipfile.ZipFile) -> str:
    member = archive.getinfo("mimetype")
    if member.file_size > 100:
        raise _Refused(NOT_ACCEPTED, "unknown_opendocument")
    declared = archive.read(member).decode("ascii", errors="replace").strip()
    if declared not in _OPENDOCUMENT_TYPES:
        raise _Refused(NOT_ACCEPTED, "unknown_opendocument")
    return _OPENDOCUMENT_TYPES[declared]


def _ole2_document_type(data: bytes, client_extension: str) -> str:
    # OLE2 also holds installers (.msi), Outlook messages and more: the extension picks a candidate
    # and the stream that kind of document must have confirms it.
    streams = _OLE2_STREAMS.get(client_extension, ())
    if not any(stream in data for stream in streams):
        raise _Refused(NOT_ACCEPTED, "unknown_ole2")
    return client_extension


# --- images


def _reencode_image(data: bytes, extension: str) -> bytes:
    pillow_format = _PILLOW_FORMATS[extension]
    try:
        # verify() checks the structure (chunk CRCs and the like) but leaves the image unusable,
        # hence the second open. `formats` keeps Pillow from finding some other format in the bytes.
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as probe:
            _check_pixels(probe)
            probe.verify()
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            _check_pixels(image)
            image.load()
            clean = _without_metadata(_to_srgb(ImageOps.exif_transpose(image)), extension)
        output = io.BytesIO()
        clean.save(output, pillow_format, **_SAVE_OPTIONS[extension])
    except Image.DecompressionBombError as error:  # Pillow's own limit, twice ours, hit while opening
        raise _Refused(IMAGE_TOO_LARGE, "image_too_large", megapixels=MAX_IMAGE_PIXELS // 1_000_000) from error
    except _IMAGE_ERRORS as error:
        raise _Refused(INVALID_IMAGE, "invalid_image") from error
    return output.getvalue()


def _check_pixels(image: Image.Image) -> None:
    # Only the header has been read here: a tiny file can declare a huge image, and decoding it
    # would take gigabytes of memory.
    width, height = image.size
    if width <= 0 or height <= 0:
        raise _Refused(INVALID_IMAGE, "invalid_image")
    if width * height > MAX_IMAGE_PIXELS:
        raise _Refused(IMAGE_TOO_LARGE, "image_too_large", megapixels=MAX_IMAGE_PIXELS // 1_000_000)


def _to_srgb(image: Image.Image) -> Image.Image:
    # The ICC profile is dropped with the rest of the metadata; converting first keeps the colours
    # of photos from wide-gamut phone cameras (Display P3) from going dull.
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # a broken profile costs colour accuracy, not the photo
    return converted if converted is not None else image


def _without_metadata(image: Image.Image, extension: str) -> Image.Image:
    # A fresh image has an empty `info`: Pillow's encoders copy some metadata (JPEG comments, PNG
    # ICC profiles) from `info` unless told otherwise, so pasting the pixels is the sure way.
    image = _to_8_bit(image)
    mode = _target_mode(image, extension)
    pixels = image if image.mode == mode else image.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    return clean


def _to_8_bit(image: Image.Image) -> Image.Image:
    # 16-bit greyscale PNGs (scanners make them) open as mode "I;16"; converting that straight to
    # an 8-bit mode clips every pixel above 255 to white.
    if image.mode.startswith("I"):
        return image.convert("I").point(lambda value: value / 256).convert("L")
    return image


def _target_mode(image: Image.Image, extension: str) -> str:
    has_alpha = "A" in image.getbands() or "transparency" in image.info
    if extension == ".jpg":
        return "L" if image.mode in ("1", "L") else "RGB"  # JPEG has no alpha
    if has_alpha:
        return "RGBA"  # also for palette images: their transparency lives in `info`, which is dropped
    if extension == ".png" and image.mode in ("1", "L"):
        return "L"
    return "RGB"


# --- names


def _clean_name(raw: str) -> str:
    """The uploader's file name, safe to show and to put in a download header; may be empty."""
    name = unicodedata.normalize("NFC", raw)  # macOS sends Vietnamese letters decomposed
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if _is_harmless(ch))
    name = name.translate(_UNSAFE_NAME_CHARACTERS)
    name = " ".join(name.split())
    return name.strip(" .")  # no hidden ".name" files, no trailing dots Windows would drop


def _is_harmless(ch: str) -> bool:
    # Control and format characters go (CR/LF would split headers, U+202E makes "gpj.exe" read
    # as "exe.jpg"); so do the line and paragraph separators.
    category = unicodedata.category(ch)
    return not category.startswith("C") and category not in ("Zl", "Zp")


def _client_extension(name: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    return f".{suffix.lower()}" if dot and stem else ""


def _with_extension(name: str, extension: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    # Drop what looks like the uploader's extension ("JPG", "jpeg", "png"), but not a suffix like
    # the "05" of "Biên bản 12.05", which is part of the name.
    if dot and stem and len(suffix) <= 5 and suffix.isascii() and suffix.isalnum() and not suffix.isdigit():
        name = stem
    stem = name[: MAX_NAME_LENGTH - len(extension)].rstrip(" .") or _FALLBACK_NAME
    return stem + extension
