"""Photos of inspections and problems (geo.io.photos): real pictures made by Pillow here, hostile files beside them.

Every photo kept comes out upright, at most 1600 px on its long side, as a JPEG with
no metadata; its GPS position and time survive only as fields. Every file refused is
refused by name with a plain Chinese sentence, and a decompression bomb is refused
from its header, in a process of its own so that its memory is measured alone.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import struct
import subprocess
import sys
import zlib
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from geo.domain import t
from geo.io import MAX_PIXELS, Photo, PhotoRefused, photos_fit, read_photo
from geo.settings import Settings, load

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 15_000_000  # the default photo_max_mb, in bytes
GPS_IFD, EXIF_IFD = 0x8825, 0x8769


def s15_fixed(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def rgb_profile(red, green, blue, gamma: float = 2.2) -> bytes:
    """An ICC v2 RGB display profile with these primaries (D50 XYZ), as cameras embed Display P3 or Adobe RGB."""
    def xyz(value):
        return b"XYZ " + bytes(4) + b"".join(s15_fixed(part) for part in value)

    name = b"test primaries"
    desc = b"desc" + bytes(4) + struct.pack(">I", len(name) + 1) + name + b"\0" + bytes(8) + bytes(3) + bytes(67)
    curve = b"curv" + bytes(4) + struct.pack(">IH", 1, round(gamma * 256)) + bytes(2)
    tags = [(b"desc", desc), (b"wtpt", xyz(D50)), (b"rXYZ", xyz(red)), (b"gXYZ", xyz(green)), (b"bXYZ", xyz(blue)),
            (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    offset = 128 + 4 + 12 * len(tags)
    table, body = struct.pack(">I", len(tags)), b""
    for signature, data in tags:
        data += bytes(-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    header = (struct.pack(">I", offset + len(body)) + bytes(4) + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ " + bytes(12)
              + b"acsp" + bytes(28) + b"".join(s15_fixed(part) for part in D50) + bytes(48))
    return header + table + body


D50 = (0.9642, 1.0, 0.8249)
SRGB_RED, SRGB_GREEN, SRGB_BLUE = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)


def picture(size=(400, 300), color="gray", fmt="JPEG", mode="RGB", exif=None, **options) -> bytes:
    """A picture of one colour, saved as ``fmt`` with ``exif`` and Pillow's save ``options``."""
    out = io.BytesIO()
    image = Image.new(mode, size, color)
    if exif is not None:
        options["exif"] = exif
    image.save(out, fmt, **options)
    return out.getvalue()


def refusal(data: bytes, name: str = "现场.jpg", max_bytes: int = LIMIT) -> PhotoRefused:
    with pytest.raises(PhotoRefused) as refused:
        read_photo(data, name, max_bytes)
    return refused.value


def png_declaring(width: int, height: int) -> bytes:
    """A real one-bit PNG of ``width`` × ``height`` black pixels, its rows compressed as they are made.

    30,000 × 30,000 takes about 110 KB and would decode into 900 MB (Pillow keeps a byte a pixel).
    """
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = bytes(1 + (width + 7) // 8)  # filter byte 0, then the row's bits
    packer = zlib.compressobj(9)
    rows_at_once = max(1, 1_000_000 // len(row))
    parts = [packer.compress(row * min(rows_at_once, height - done)) for done in range(0, height, rows_at_once)]
    idat = b"".join(parts) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpeg_markers(data: bytes) -> list[int]:
    """The marker bytes of a JPEG's segments up to the start of its pixels (0xE1: EXIF or XMP, 0xFE: a comment)."""
    markers, at = [], 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: the pixels follow
            break
        at += 2 + struct.unpack(">H", data[at + 2:at + 4])[0]
    return markers


def camera_exif(orientation: int = 1) -> Image.Exif:
    """What a phone writes: make, model, serial number, owner, GPS (29°50'24"N 114°19'12"E) and the time."""
    exif = Image.Exif()
    exif[0x010F] = "SecretMaker"  # Make
    exif[0x0110] = "SecretModel X"  # Model
    exif[0x0112] = orientation
    exif[0x013B] = "Zhang Wei"  # Artist
    details = exif.get_ifd(EXIF_IFD)
    details[0x9003] = "2020:02:25 09:30:05"  # DateTimeOriginal
    details[0xA431] = "SN-123456789"  # BodySerialNumber
    details[0xA430] = "Owner Zhang"  # CameraOwnerName
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (29.0, 50.0, 24.0), 3: "E", 4: (114.0, 19.0, 12.0)})
    return exif


def test_a_portrait_photo_with_orientation_6_comes_out_upright():
    # A phone held upright stores the picture lying on its side (top red, bottom blue) and orientation 6:
    # "turn 90° clockwise to show". Upright, the red half is on the right and the picture is taller than wide.
    stored = Image.new("RGB", (400, 300), "blue")
    stored.paste(Image.new("RGB", (400, 150), "red"), (0, 0))
    out = io.BytesIO()
    stored.save(out, "JPEG", quality=95, exif=camera_exif(orientation=6))

    photo = read_photo(out.getvalue(), "门岗.jpg", LIMIT)

    assert (photo.width, photo.height) == (300, 400)
    shown = Image.open(io.BytesIO(photo.content))
    assert shown.size == (300, 400)
    right, left = shown.getpixel((250, 200)), shown.getpixel((50, 200))
    assert right[0] > 200 and right[2] < 60, right  # red
    assert left[2] > 200 and left[0] < 60, left  # blue
    assert shown.getexif().get(0x0112) is None  # nothing left to turn it a second time


def test_gps_and_time_are_kept_as_fields_and_the_output_carries_no_exif_at_all():
    data = picture((640, 480), "green", exif=camera_exif(), comment=b"Owner Zhang's phone")

    photo = read_photo(data, "IMG_0001.jpg", LIMIT)

    assert (photo.lat, photo.lon) == (pytest.approx(29.84), pytest.approx(114.32))
    assert photo.taken_at == datetime(2020, 2, 25, 9, 30, 5)
    assert (photo.name, photo.size_in) == ("IMG_0001.jpg", len(data))
    assert photo.sha256 == hashlib.sha256(photo.content).hexdigest()
    for secret in (b"Secret", b"SN-123456789", b"Zhang", b"Exif", b"2020:02:25"):
        assert secret in data and secret not in photo.content, secret
    assert {0xE1, 0xFE} & set(jpeg_markers(photo.content)) == set()  # no EXIF/XMP segment, no comment
    assert 0xE1 in jpeg_markers(data)  # (the helper does see them where they are)
    reopened = Image.open(io.BytesIO(photo.content))
    assert len(reopened.getexif()) == 0 and "exif" not in reopened.info and "comment" not in reopened.info


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_a_png_or_webp_keeps_its_position_too(fmt):
    photo = read_photo(picture((300, 200), fmt=fmt, exif=camera_exif()), f"a.{fmt.lower()}", LIMIT)
    assert (photo.lat, photo.lon, photo.taken_at) == (pytest.approx(29.84), pytest.approx(114.32),
                                                      datetime(2020, 2, 25, 9, 30, 5))
    assert b"Secret" not in photo.content and 0xE1 not in jpeg_markers(photo.content)

@pytest.mark.parametrize("gps", [
    {1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)},  # a phone without a fix
    {1: "N", 2: (95.0, 0.0, 0.0), 3: "E", 4: (114.0, 0.0, 0.0)},  # beyond the pole
    {1: "N", 2: (29.0, 50.0, 24.0)},  # a latitude only
], ids=["zero", "beyond_the_pole", "latitude_only"])
def test_a_position_that_is_nonsense_is_no_position(gps):
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD).update(gps)
    photo = read_photo(picture(exif=exif), "a.jpg", LIMIT)
    assert (photo.lat, photo.lon) == (None, None)


def test_southern_and_western_references_give_negative_degrees():
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD).update({1: "S", 2: (33.0, 52.0, 4.0), 3: "W", 4: (151.0, 12.0, 36.0)})
    photo = read_photo(picture(exif=exif), "a.jpg", LIMIT)
    assert (photo.lat, photo.lon) == (pytest.approx(-33.86778, abs=1e-5), pytest.approx(-151.21, abs=1e-5))


@pytest.mark.parametrize("profile,shown_as", [
    (rgb_profile(SRGB_GREEN, SRGB_RED, SRGB_BLUE), "green"),  # its "red" is sRGB's green: converted, not copied
    (rgb_profile(SRGB_RED, SRGB_GREEN, SRGB_BLUE), "red"),
    (b"not a colour profile at all", "red"),  # ignored, the photo kept
], ids=["other_primaries", "srgb_primaries", "garbage_profile"])
def test_colours_are_converted_to_srgb_and_no_profile_is_kept(profile, shown_as):
    photo = read_photo(picture((200, 100), (255, 0, 0), icc_profile=profile, quality=95), "a.jpg", LIMIT)
    shown = Image.open(io.BytesIO(photo.content))
    assert "icc_profile" not in shown.info and 0xE2 not in jpeg_markers(photo.content)
    red, green, blue = shown.getpixel((100, 50))
    assert (green > 200 and red < 60) if shown_as == "green" else (red > 200 and green < 60), (red, green, blue)


def test_a_large_photo_comes_out_1600_by_1200_and_much_smaller():
    data = picture((4000, 3000), "orange", quality=95)
    photo = read_photo(data, "工地全景.jpg", LIMIT)
    assert (photo.width, photo.height) == (1600, 1200)
    assert Image.open(io.BytesIO(photo.content)).size == (1600, 1200)
    assert Image.open(io.BytesIO(photo.content)).format == "JPEG"
    assert len(photo.content) < len(data)


def test_a_small_photo_keeps_its_size():
    photo = read_photo(picture((800, 600)), "a.jpg", LIMIT)
    assert (photo.width, photo.height) == (800, 600)


def test_a_png_with_transparency_is_laid_on_white():
    image = Image.new("RGBA", (200, 100), (0, 0, 0, 0))  # transparent black
    image.paste(Image.new("RGBA", (100, 100), (255, 0, 0, 255)), (0, 0))  # opaque red on the left
    out = io.BytesIO()
    image.save(out, "PNG")

    photo = read_photo(out.getvalue(), "截图.png", LIMIT)

    shown = Image.open(io.BytesIO(photo.content))
    assert shown.format == "JPEG" and shown.mode == "RGB"
    assert min(shown.getpixel((150, 50))) > 245  # white, not black
    red = shown.getpixel((50, 50))
    assert red[0] > 240 and red[1] < 20 and red[2] < 20


@pytest.mark.parametrize("fmt,mode,options", [
    ("WEBP", "RGB", {}),
    ("GIF", "P", {"save_all": True, "append_images": [Image.new("P", (300, 200), 3)]}),
    ("PNG", "I;16", {}),
    ("PNG", "P", {"transparency": 0}),
    ("JPEG", "L", {}),
    ("JPEG", "CMYK", {}),
    ("MPO", "RGB", {"save_all": True, "append_images": [Image.new("RGB", (300, 200), "yellow")]}),
], ids=["webp", "gif_two_frames", "png_16_bit", "png_palette", "jpeg_grey", "jpeg_cmyk", "mpo_two_frames"])
def test_other_pictures_phones_and_browsers_send_are_kept_as_jpeg(fmt, mode, options):
    color = {"P": 7, "I;16": 40000, "L": 128, "CMYK": (0, 255, 255, 0)}.get(mode, "purple")
    photo = read_photo(picture((300, 200), color, fmt=fmt, mode=mode, **options), f"a.{fmt.lower()}", LIMIT)
    shown = Image.open(io.BytesIO(photo.content))
    assert (shown.format, shown.mode, shown.size) == ("JPEG", "RGB", (300, 200))
    if fmt == "MPO":
        assert shown.getpixel((150, 100))[0] > 100  # the first frame (purple), not the second (yellow)
        assert shown.getpixel((150, 100))[1] < 60


@pytest.mark.parametrize("data,name", [
    (b"\xef\xbb\xbf\xe6\x95\xb4\xe6\x94\xb9\xe8\xaf\xb4\xe6\x98\x8e\n" * 50, "整改说明.jpg"),  # a text file renamed
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">'
     b"<script>alert(document.cookie)</script><rect width='400' height='300'/></svg>", "现场.svg"),
    (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" * 20, "整改报告.pdf"),
    (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(2000), "IMG_0002.HEIC"),
    (b"<html><img src=x onerror=alert(1)></html>", "a.png"),
], ids=["text_renamed_jpg", "svg_with_script", "pdf", "heic", "html"])
def test_what_is_not_a_picture_is_refused_by_name_with_the_fix(data, name):
    refused = refusal(data, name)
    assert refused.key == "photo_not_image"
    assert refused.text == t("photo_not_image", name=name)
    assert name in refused.text.zh and "请用手机相机拍照上传 JPG 或 PNG 图片" in refused.text.zh


@pytest.mark.parametrize("fmt,cut", [
    ("JPEG", lambda data: data[:len(data) // 2]),  # half sent
    ("JPEG", lambda data: data[:data.index(b"\xff\xda") + 20]),  # its headers and no pixels
    ("PNG", lambda data: data[:len(data) // 2]),
    ("WEBP", lambda data: data[:len(data) // 2]),
], ids=["jpeg_half", "jpeg_headers_only", "png_half", "webp_half"])
def test_a_truncated_picture_is_refused_as_broken(fmt, cut):
    whole = picture((800, 600), "teal", fmt=fmt, **({"quality": 95} if fmt != "PNG" else {}))
    read_photo(whole, "a.jpg", LIMIT)  # the whole file is a photo
    refused = refusal(cut(whole), "半张.jpg")
    assert refused.key == "photo_broken"
    assert "半张.jpg" in refused.text.zh and "不完整" in refused.text.zh


def test_zero_bytes_are_refused():
    refused = refusal(b"", "空.jpg")
    assert refused.key == "photo_empty" and "空.jpg" in refused.text.zh


def test_a_50_mb_file_is_refused_by_its_size_before_it_is_read():
    data = b"\xff\xd8\xff\xe0" + bytes(50_000_000)
    refused = refusal(data, "大图.jpg", Settings().photo_max_bytes)
    assert refused.key == "photo_too_big"
    assert "大图.jpg" in refused.text.zh and "50 MB" in refused.text.zh and "上限 15 MB" in refused.text.zh
    assert "15 MB" in refused.text.en


def test_a_picture_too_small_to_show_anything_is_refused():
    refused = refusal(picture((16, 16), fmt="PNG"), "图标.png")
    assert refused.key == "photo_too_small" and "16×16" in refused.text.zh


def test_more_pixels_than_any_phone_is_refused_by_our_own_limit_below_pillow_s():
    # 8000 × 8000 = 64 MP: above ours (50 MP), below the 89 MP at which Pillow starts to warn
    assert 8000 * 8000 > MAX_PIXELS and 8000 * 8000 < Image.MAX_IMAGE_PIXELS
    refused = refusal(png_declaring(8000, 8000), "巨图.png")
    assert refused.key == "photo_too_many_pixels" and "巨图.png" in refused.text.zh
    assert "超过 5000 万像素" in refused.text.zh and "more than 50 million pixels" in refused.text.en


_MEASURED = """
import json, resource, sys, time
from geo.io import PhotoRefused, read_photo
found = []
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        read_photo(data, path, 15_000_000)
        key = None
    except PhotoRefused as refused:
        key = refused.key
    seconds = time.perf_counter() - start
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    found.append([key, seconds, grown_mb])
print(json.dumps(found))
"""


def test_a_decompression_bomb_is_refused_at_once_without_allocating_it(tmp_path):
    # 30,000 × 30,000 in about 110 KB: decoded, 900 MB. Measured in a process of its own, where nothing
    # else has raised the peak of memory the measure compares with.
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_declaring(30_000, 30_000))
    just_over = tmp_path / "just_over.png"
    just_over.write_bytes(png_declaring(8000, 8000))
    assert bomb.stat().st_size < 200_000
    result = subprocess.run([sys.executable, "-c", _MEASURED, str(bomb), str(just_over)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for key, seconds, grown_mb in json.loads(result.stdout):
        assert key == "photo_too_many_pixels"
        assert seconds < 2, seconds
        assert grown_mb < 100, grown_mb


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow's words on each broken EXIF block it skips
def test_damaged_pictures_are_kept_or_refused_never_a_crash():
    # 600 pictures of every kind accepted, each with a few bytes of its headers and EXIF changed at random
    seeds = [picture((300, 200), exif=camera_exif(6), comment=b"owner"), picture((300, 200), fmt="PNG"),
             picture((300, 200), fmt="WEBP"), picture((300, 200), 3, fmt="GIF", mode="P"),
             picture((300, 200), icc_profile=rgb_profile(SRGB_GREEN, SRGB_RED, SRGB_BLUE))]
    chance, outcomes = random.Random(20), set()
    for _ in range(600):
        data = bytearray(chance.choice(seeds))
        for _ in range(chance.randint(1, 8)):
            data[chance.randrange(min(len(data), 600))] = chance.randrange(256)
        try:
            photo = read_photo(bytes(data), "a.jpg", LIMIT)
            outcomes.add("kept")
            assert Image.open(io.BytesIO(photo.content)).format == "JPEG" and max(photo.width, photo.height) <= 1600
        except PhotoRefused as refused:
            outcomes.add(refused.key)
    assert {"kept", "photo_broken", "photo_not_image"} <= outcomes


def test_no_message_of_a_refusal_is_the_library_s():
    for data in (b"GIF89a" + bytes(10), b"\x89PNG\r\n\x1a\n" + bytes(40), picture()[:300], b"\xff\xd8\xff"):
        text = refusal(data, "x.jpg").text
        for word in ("cannot", "identify", "truncated", "Error", "PIL", "Traceback"):
            assert word not in text.zh and word not in text.en


def test_a_photo_is_a_frozen_record():
    photo = read_photo(picture(), "a.jpg", LIMIT)
    assert isinstance(photo, Photo)
    with pytest.raises(AttributeError):
        photo.lat = 1.0  # type: ignore[misc]


def test_one_problem_holds_at_most_its_count_and_its_megabytes_of_photos():
    fits = dict(max_total=20_000_000, max_count=9)
    assert photos_fit([], 500_000, **fits) is None
    assert photos_fit([500_000] * 8, 500_000, **fits) is None  # the ninth
    assert photos_fit([500_000] * 9, 500_000, **fits) == t("photos_too_many", count=9, have=9)
    assert photos_fit([10_000_000, 9_000_000], 1_000_000, **fits) is None  # exactly 20 MB
    too_much = photos_fit([10_000_000, 9_000_000], 1_000_001, **fits)
    assert too_much is not None and "20 MB" in too_much.zh and "19 MB" in too_much.zh


def test_the_photo_settings_and_their_sizes_in_bytes():
    defaults = Settings()
    assert (defaults.photo_max_mb, defaults.photos_per_problem, defaults.problem_photos_max_mb) == (15.0, 9, 20.0)
    assert (defaults.photo_max_bytes, defaults.problem_photos_max_bytes) == (15_000_000, 20_000_000)
    chosen = load({"CMDMAP_PHOTO_MAX_MB": "5", "CMDMAP_PHOTOS_PER_PROBLEM": "3",
                   "CMDMAP_PROBLEM_PHOTOS_MAX_MB": "inf"})
    assert (chosen.photo_max_bytes, chosen.photos_per_problem, chosen.problem_photos_max_bytes) == (
        5_000_000, 3, 20_000_000)
