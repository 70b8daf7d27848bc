"""Photos of inspections and problems: what a phone or a browser uploads, turned into what the store keeps.

:func:`read_photo` accepts a JPEG, PNG or WebP (and the first frame of a GIF or of a
phone's MPO), refuses anything else with :class:`PhotoRefused` (its :attr:`~PhotoRefused.text`
names the file and the fix), and returns a :class:`Photo`: the picture upright (EXIF
orientation applied), its long side at most :data:`LONG_SIDE` pixels, its colours in sRGB,
re-encoded as a JPEG with no metadata at all. A photo's EXIF says the camera, its serial number and
often its owner; only where and when it was taken are kept, as the fields ``lat``,
``lon`` and ``taken_at``.

What is parsed is bounded before it is decoded: the bytes received (``max_bytes``) and
the pixels the header declares (:data:`MAX_PIXELS`), so a PNG of a few kilobytes that
declares 30,000 × 30,000 pixels is refused without allocating them.
:func:`photos_fit` is the limit of one problem's photos (how many, how many bytes).

Examples
--------
>>> from PIL import Image
>>> picture = io.BytesIO()
>>> Image.new("RGB", (4000, 3000), "gray").save(picture, "PNG")
>>> photo = read_photo(picture.getvalue(), "门岗.png", 15_000_000)
>>> photo.width, photo.height, photo.content[:2], photo.lat, photo.taken_at
(1600, 1200, b'\\xff\\xd8', None, None)
>>> read_photo(b"<svg onload='alert(1)'/>", "门岗.jpg", 15_000_000)
Traceback (most recent call last):
...
geo.io.photos.PhotoRefused: photo_not_image
>>> photos_fit([400_000] * 9, 300_000, max_total=20_000_000, max_count=9).zh
'每个问题最多 9 张照片，已有 9 张。请先删除不需要的照片，再添加新的。'
"""

from __future__ import annotations

import hashlib
import io
import math
import struct
import warnings
import zlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from geo.domain import Text, t

FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "MPO")  # what Pillow may try; nothing else is even opened
MAX_PIXELS = 50_000_000  # a 50-megapixel phone camera; below Pillow's own warning (89 MP)
MIN_SIDE = 32  # a picture narrower than this shows nothing of a site
LONG_SIDE = 1600  # enough to read a notice on a wall, about 300 KB as a JPEG
QUALITY = 82
GPS_IFD = 0x8825
EXIF_IFD = 0x8769
DATE_TIME_ORIGINAL = 0x9003
MEGABYTE = 1_000_000  # as the settings count megabytes

# What a broken or hostile file makes Pillow raise while its header or pixels are read.
BROKEN = (OSError, SyntaxError, ValueError, TypeError, KeyError, IndexError, EOFError, struct.error, zlib.error)
# What a broken EXIF block makes reading it raise: the photo is still kept, without position or time.
BAD_EXIF = (*BROKEN, ZeroDivisionError, OverflowError, AttributeError)


class PhotoRefused(ValueError):
    """A file not kept as a photo; :attr:`text` names it and says what to do, in both languages."""

    def __init__(self, key: str, **values):
        self.key = key
        self.text: Text = t(key, **values)
        super().__init__(key)


@dataclass(frozen=True)
class Photo:
    """A photo as the store keeps it.

    ``content`` is the re-encoded JPEG (no EXIF), ``width`` × ``height`` its pixels;
    ``lat``/``lon`` the WGS-84 degrees of the camera's GPS (None when absent or
    nonsense), ``taken_at`` the camera's DateTimeOriginal (naive, the camera's clock);
    ``sha256`` the hex digest of ``content``; ``name`` the file's name as given (for
    display only); ``size_in`` the bytes received.
    """

    content: bytes
    width: int
    height: int
    lat: float | None
    lon: float | None
    taken_at: datetime | None
    sha256: str
    name: str
    size_in: int


def megabytes(size: int) -> float:
    """``size`` bytes in megabytes (10⁶ bytes), as the settings and the messages count them.

    >>> megabytes(15_000_000), megabytes(250_000)
    (15.0, 0.25)
    """
    return size / MEGABYTE


def read_photo(data: bytes, name: str, max_bytes: int) -> Photo:
    """The photo in ``data`` (a file named ``name``) as the store keeps it, or :class:`PhotoRefused`.

    Parameters
    ----------
    data
        The bytes received.
    name
        The file's name as the phone or browser gave it: said in messages and kept for display, never trusted
        for the format (a text file renamed .jpg is refused).
    max_bytes
        Largest file accepted (setting ``photo_max_mb``).

    Raises
    ------
    PhotoRefused
        Empty, over ``max_bytes``, not a JPEG/PNG/WebP/GIF/MPO (SVG, PDF, HEIC Pillow cannot read, text),
        declaring more than :data:`MAX_PIXELS` pixels, smaller than :data:`MIN_SIDE`, or broken/truncated.

    >>> def refusal(data, max_bytes=2_000_000):
    ...     try:
    ...         read_photo(data, "a.jpg", max_bytes)
    ...     except PhotoRefused as refused:
    ...         return refused.text.zh
    >>> refusal(b"")
    '照片“a.jpg”是空文件（0 字节）。请重新拍照，或选择另一张图片上传。'
    >>> refusal(bytes(3_000_000)).split("。")[0]
    '照片“a.jpg”有 3 MB，超过上限 2 MB'
    """
    if not data:
        raise PhotoRefused("photo_empty", name=name)
    if len(data) > max_bytes:
        raise PhotoRefused("photo_too_big", name=name, size=megabytes(len(data)), limit=megabytes(max_bytes))
    image = open_image(data, name)
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise PhotoRefused("photo_too_many_pixels", name=name, limit=pixels_said(MAX_PIXELS))
    if min(width, height) < MIN_SIDE:
        raise PhotoRefused("photo_too_small", name=name, width=width, height=height, least=MIN_SIDE)
    try:
        # A JPEG is decoded at 1/2, 1/4 or 1/8 of its size when that is still at least the size kept.
        image.draft(None, fitted(image.size, LONG_SIDE))
        image.load()
        lat, lon, taken_at = exif_place_and_time(image)  # after the pixels: a PNG's EXIF may follow them
        upright = upright_image(image)
        upright.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
        pixels = flattened(in_srgb(upright))
    except BROKEN as error:
        raise PhotoRefused("photo_broken", name=name) from error
    # A new image carries no info of the file's (Pillow writes a JPEG's comment from it): pixels only.
    clean = Image.frombytes("RGB", pixels.size, pixels.tobytes())
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=QUALITY, optimize=True)
    content = out.getvalue()
    return Photo(content=content, width=clean.width, height=clean.height, lat=lat, lon=lon, taken_at=taken_at,
                 sha256=hashlib.sha256(content).hexdigest(), name=name, size_in=len(data))


def open_image(data: bytes, name: str) -> Image.Image:
    """``data`` opened by Pillow, its header read and nothing decoded; :class:`PhotoRefused` if it is no picture.

    Pillow's own decompression-bomb warning and error become a refusal; :func:`read_photo`
    then checks the pixels against :data:`MAX_PIXELS`, which is lower.
    """
    try:
        # (catch_warnings is not thread-safe before Python 3.14; when two uploads race, Pillow's warning
        # may only be printed instead of raised, and MAX_PIXELS, below it, still refuses the file)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoRefused("photo_too_many_pixels", name=name, limit=pixels_said(MAX_PIXELS)) from error
    except (UnidentifiedImageError, *BROKEN) as error:
        # A file that starts as a picture and cannot be opened was cut off or damaged: say so, not "no picture".
        raise PhotoRefused("photo_broken" if starts_as_picture(data) else "photo_not_image", name=name) from error
    return image


def starts_as_picture(data: bytes) -> bool:
    """True when ``data`` starts with the signature of a JPEG, PNG, GIF or WebP, whatever follows.

    >>> starts_as_picture(b"\\xff\\xd8\\xff\\xe0"), starts_as_picture(b"RIFF\\0\\0\\0\\0WEBPVP8 ")
    (True, True)
    >>> starts_as_picture(b"<svg onload='alert(1)'/>")
    False
    """
    return (data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a"))
            or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"))


def pixels_said(pixels: int) -> Text:
    """A count of pixels as each language says it: Chinese counts in 万 (ten thousand), English in millions.

    >>> pixels_said(50_000_000)
    Text(zh='5000 万', en='50 million')
    """
    return Text(f"{pixels / 10_000:g} 万", f"{pixels / 1_000_000:g} million")


def fitted(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    """``size`` shrunk (never grown) so that its long side is at most ``long_side``, keeping its shape.

    >>> fitted((4000, 3000), 1600), fitted((3000, 4000), 1600), fitted((800, 600), 1600)
    ((1600, 1200), (1200, 1600), (800, 600))
    """
    width, height = size
    scale = min(1.0, long_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def upright_image(image: Image.Image) -> Image.Image:
    """``image`` turned as its EXIF orientation says (a phone held upright writes 6); as it is when unreadable."""
    try:
        return ImageOps.exif_transpose(image)
    except BAD_EXIF:
        return image


@lru_cache(maxsize=1)
def srgb() -> ImageCms.ImageCmsProfile:
    """The sRGB colour profile, made once when first needed."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def in_srgb(image: Image.Image) -> Image.Image:
    """``image``'s colours in sRGB when its file carries another colour profile; as it is otherwise.

    The JPEG kept carries no profile (a browser then assumes sRGB), so an iPhone's Display P3
    photo is converted rather than shown dull; a profile that cannot be read or applied is ignored.
    """
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(image, source, srgb(), outputMode="RGB")
    except (ImageCms.PyCMSError, *BROKEN):
        return image


def flattened(image: Image.Image) -> Image.Image:
    """``image`` in RGB, anything transparent laid on white (a JPEG has no transparency; black would hide it)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, "white")
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        # 16-bit and float greys (some PNGs) would clip to white: scale them to 8 bits first
        return image.point(lambda value: value / 256).convert("L").convert("RGB")
    return image.convert("RGB")


def exif_place_and_time(image: Image.Image) -> tuple[float | None, float | None, datetime | None]:
    """Latitude, longitude (WGS-84 degrees) and DateTimeOriginal of ``image``'s EXIF; None for each one absent.

    A broken EXIF block gives three Nones: the photo is kept, without position or time.
    """
    try:
        exif = image.getexif()
        gps = exif.get_ifd(GPS_IFD)
        original = exif.get_ifd(EXIF_IFD).get(DATE_TIME_ORIGINAL)
    except BAD_EXIF:
        return None, None, None
    lat, lon = gps_position(gps)
    return lat, lon, exif_time(original)


def gps_position(gps: dict) -> tuple[float | None, float | None]:
    """(lat, lon) in decimal degrees from an EXIF GPS block, or (None, None) when absent or nonsense.

    Tags 1/2 are the latitude's reference (N/S) and degrees, minutes, seconds; 3/4 the longitude's (E/W).
    0/0 (a phone without a fix writes it), a latitude beyond 90 or a longitude beyond 180 are no position.

    >>> gps_position({1: "N", 2: (29.0, 50.0, 24.0), 3: "E", 4: (114.0, 19.0, 12.0)})
    (29.84, 114.32)
    >>> gps_position({1: "S", 2: (0, 0, 0), 3: "W", 4: (0, 0, 0)}), gps_position({})
    ((None, None), (None, None))
    >>> gps_position({1: "N", 2: (95.0, 0.0, 0.0), 3: "E", 4: (114.0, 0.0, 0.0)})
    (None, None)
    """
    lat = degrees(gps.get(2), gps.get(1), "S")
    lon = degrees(gps.get(4), gps.get(3), "W")
    if lat is None or lon is None or (lat == 0 and lon == 0) or abs(lat) > 90 or abs(lon) > 180:
        return None, None
    return round(lat, 7), round(lon, 7)


def degrees(value: object, reference: object, negative: str) -> float | None:
    """Decimal degrees from EXIF's (degrees, minutes, seconds) (or one number) and its N/S or E/W reference.

    >>> degrees((114, 30, 0), b"W", "W"), degrees(29.5, "N", "S"), degrees((1, 2), "N", "S")
    (-114.5, 29.5, None)
    """
    try:
        parts = [float(part) for part in value] if isinstance(value, (tuple, list)) else [float(value)]
    except BAD_EXIF:
        return None
    if len(parts) not in (1, 3) or not all(math.isfinite(part) and part >= 0 for part in parts):
        return None
    whole = sum(part / 60 ** index for index, part in enumerate(parts))
    if isinstance(reference, bytes):
        reference = reference.decode("ascii", "replace")
    return -whole if str(reference or "").strip().upper().startswith(negative) else whole


def exif_time(value: object) -> datetime | None:
    """EXIF's "YYYY:MM:DD HH:MM:SS" as a naive datetime (the camera's clock); None when absent or not a time.

    >>> exif_time("2020:02:25 09:30:05"), exif_time("0000:00:00 00:00:00"), exif_time(None)
    (datetime.datetime(2020, 2, 25, 9, 30, 5), None, None)
    """
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


def photos_fit(sizes: list[int], adding: int, max_total: int, max_count: int) -> Text | None:
    """None when one more photo of ``adding`` bytes fits a problem already holding photos of ``sizes`` bytes.

    Otherwise the sentence saying which limit it would pass: ``max_count`` photos
    (setting ``photos_per_problem``) or ``max_total`` bytes stored (``problem_photos_max_mb``).

    >>> photos_fit([400_000, 500_000], 300_000, max_total=20_000_000, max_count=9) is None
    True
    >>> photos_fit([9_000_000, 9_000_000], 2_500_000, max_total=20_000_000, max_count=9).zh.split("。")[0]
    '每个问题的照片合计最多 20 MB，已有 18 MB，再加这张 2.5 MB 就超过了'
    """
    if len(sizes) + 1 > max_count:
        return t("photos_too_many", count=max_count, have=len(sizes))
    if sum(sizes) + adding > max_total:
        return t("photos_too_much", limit=megabytes(max_total), have=megabytes(sum(sizes)), size=megabytes(adding))
    return None
