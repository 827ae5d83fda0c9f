"""Photos are checked by content, turned upright, stripped of metadata and scaled down."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageCms, ImageFile

from profiles.photos import MAX_PHOTO_BYTES, PhotoError, process_photo

RED, BLUE = (220, 20, 20), (20, 20, 220)


def halves(size=(300, 200)) -> Image.Image:
    """A picture whose left half is red and right half blue, so turning shows."""
    image = Image.new("RGB", size, RED)
    image.paste(BLUE, (size[0] // 2, 0, size[0], size[1]))
    return image


def encode(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def camera_exif() -> Image.Exif:
    """EXIF as a phone writes it: turned on its side, with camera and location."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    exif[0x010F] = "Canon"
    exif[0x0110] = "Canon EOS 5D"
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0)}
    return exif


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def blank_png(width: int, height: int) -> bytes:
    """A valid one-colour PNG of any size, made without holding its pixels in memory."""
    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def opened(clean) -> Image.Image:
    image = Image.open(io.BytesIO(clean.data))
    image.load()
    return image


def test_phone_photo_is_turned_upright_and_loses_location_and_camera():
    data = encode(
        halves(),
        "JPEG",
        exif=camera_exif(),
        comment=b"Room 12",
        xmp=b"<x:xmpmeta>Peggy</x:xmpmeta>",
    )
    clean = process_photo(data, "image/jpeg")
    image = opened(clean)
    assert (clean.width, clean.height) == image.size == (200, 300)
    # Turned clockwise, the red left half is now at the top.
    top, bottom = image.getpixel((100, 20)), image.getpixel((100, 280))
    assert top[0] > 180 > top[2] and bottom[2] > 180 > bottom[0]
    assert not image.getexif()
    assert not {"exif", "xmp", "comment", "icc_profile"} & image.info.keys()
    for secret in (b"Exif", b"Canon", b"xmpmeta", b"Room 12"):
        assert secret not in clean.data


def test_large_photo_is_scaled_to_1200_on_the_long_side():
    clean = process_photo(encode(halves((3000, 2000)), "JPEG"))
    assert (clean.width, clean.height) == opened(clean).size == (1200, 800)
    assert clean.media_type == "image/jpeg"


def test_colour_profile_is_applied_then_removed():
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    clean = process_photo(encode(halves(), "JPEG", icc_profile=icc))
    assert "icc_profile" not in opened(clean).info


def test_pdf_renamed_as_jpeg_is_refused():
    with pytest.raises(PhotoError) as error:
        process_photo(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", "image/jpeg")
    assert str(error.value) == (
        "This file is a PDF document, not a photo. Choose a JPEG, PNG or WebP photo."
    )


def test_text_file_is_not_a_photo():
    with pytest.raises(PhotoError, match=r"This file is not a photo we can use\. Choose a JPEG"):
        process_photo(b"Margaret Jones, room 12")


def test_iphone_heic_photo_says_how_to_get_a_jpeg():
    with pytest.raises(PhotoError, match=r"HEIC.*Most Compatible"):
        process_photo(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 100)


def test_empty_file_is_refused():
    with pytest.raises(PhotoError, match="This file is empty"):
        process_photo(b"")


def test_photo_that_is_not_the_type_it_claims_is_refused():
    with pytest.raises(PhotoError, match="This file is a PNG photo, but it was described as"):
        process_photo(encode(halves(), "PNG"), "image/jpeg")


def test_truncated_jpeg_is_refused():
    noisy = Image.effect_noise((400, 400), 64).convert("RGB")
    data = encode(noisy, "JPEG")
    with pytest.raises(PhotoError, match="damaged or incomplete") as error:
        process_photo(data[: len(data) // 2])
    assert "Choose the photo again" in str(error.value)


def test_broken_png_is_refused():
    data = bytearray(encode(halves(), "PNG"))
    data[40] ^= 0xFF  # the checksums no longer match
    with pytest.raises(PhotoError, match="damaged or incomplete"):
        process_photo(bytes(data))


def test_file_over_10_mb_says_how_big_it_is():
    data = b"\xff\xd8\xff\xe0" + b"\x00" * (11 * 1024 * 1024)
    with pytest.raises(PhotoError) as error:
        process_photo(data)
    assert str(error.value) == (
        "This photo is 11.1 MB. Photos can be up to 10 MB: choose a smaller one."
    )


def test_file_of_exactly_10_mb_is_not_refused_for_its_size():
    with pytest.raises(PhotoError, match="damaged"):
        process_photo(b"\xff\xd8\xff\xe0" + b"\x00" * (MAX_PHOTO_BYTES - 4))


@pytest.mark.parametrize("side", [20000, 8000])
def test_decompression_bomb_is_refused_before_it_is_decoded(side):
    bomb = blank_png(side, side)
    assert len(bomb) < 200_000  # tiny on disk, gigabytes once decoded
    with pytest.raises(PhotoError) as error:
        process_photo(bomb, "image/png")
    pixels = f"{side} \N{MULTIPLICATION SIGN} {side} pixels"
    assert str(error.value).startswith(f"This photo is too large to open ({pixels}).")


def test_png_keeps_its_transparency():
    image = Image.new("RGBA", (80, 60), (0, 0, 0, 0))
    image.paste((10, 120, 40, 255), (0, 0, 40, 60))
    data = encode(image, "PNG", pnginfo=_text("Author", "Room 12 staff"))
    clean = process_photo(data, "image/png")
    result = opened(clean)
    assert clean.media_type == "image/png"
    assert result.mode == "RGBA"
    assert result.getpixel((70, 30))[3] == 0 and result.getpixel((10, 30)) == (10, 120, 40, 255)
    assert b"Room 12" not in clean.data


def test_large_png_with_alpha_is_scaled_and_keeps_transparency():
    image = Image.new("RGBA", (2400, 600), (0, 0, 0, 0))
    clean = process_photo(encode(image, "PNG"))
    assert opened(clean).size == (1200, 300)
    assert opened(clean).getpixel((600, 150))[3] == 0


def test_data_hidden_after_the_end_of_a_png_is_removed():
    clean = process_photo(encode(halves(), "PNG") + b"Margaret Jones, NHS 943 476 5919")
    assert b"Margaret" not in clean.data
    assert opened(clean).size == (300, 200)


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_webp_is_cleaned_and_stays_webp(mode):
    image = halves((1600, 800)).convert(mode)
    clean = process_photo(encode(image, "WEBP", exif=camera_exif()), "image/webp")
    result = opened(clean)
    assert clean.media_type == "image/webp" and result.format == "WEBP"
    # Orientation 6 turns 1600 x 800 on its side, then the long side is scaled to 1200.
    assert result.size == (600, 1200)
    assert b"Canon" not in clean.data and b"EXIF" not in clean.data


@pytest.mark.parametrize(
    ("fmt", "params"),
    [
        ("JPEG", {"exif": camera_exif(), "comment": b"Room 12"}),
        ("JPEG", {"progressive": True}),
        ("PNG", {}),
        ("WEBP", {"exif": camera_exif()}),
    ],
)
def test_cleaning_a_clean_photo_changes_nothing(fmt, params):
    image = Image.effect_noise((1500, 900), 40).convert("RGB")
    first = process_photo(encode(image, fmt, **params))
    again = process_photo(first.data, first.media_type)
    assert again == first


def test_photo_that_is_already_clean_is_kept_byte_for_byte():
    data = encode(halves(), "JPEG", quality=95)
    clean = process_photo(data, "image/jpeg")
    assert clean.data == data
    assert (clean.width, clean.height) == (300, 200)


def test_photo_hash_is_of_the_stored_bytes():
    import hashlib

    clean = process_photo(encode(halves(), "PNG"))
    assert clean.sha256 == hashlib.sha256(clean.data).hexdigest()


def test_truncated_photo_is_refused_even_after_weasyprint_allowed_them(monkeypatch):
    # WeasyPrint turns this on when it is imported.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = encode(Image.effect_noise((400, 400), 64).convert("RGB"), "JPEG")
    with pytest.raises(PhotoError, match="damaged or incomplete"):
        process_photo(data[: len(data) // 2])


def _text(key: str, value: str):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text(key, value)
    return info


def test_a_thumbnail_hidden_in_the_jpeg_header_is_removed():
    clean = process_photo(encode(halves(), "JPEG")).data
    assert clean[2:4] == b"\xff\xe0" and clean[4:6] == (16).to_bytes(2, "big")
    body = clean[6:18]  # JFIF header after its length, up to the thumbnail size
    with_thumbnail = (
        clean[:4] + (19).to_bytes(2, "big") + body + b"\x01\x01" + b"\x10\x20\x30" + clean[20:]
    )
    result = process_photo(with_thumbnail).data
    assert result != with_thumbnail
    assert b"\x10\x20\x30" not in result[:40]
    assert result[4:6] == (16).to_bytes(2, "big")


def test_a_logo_is_checked_as_a_photo_is_and_kept_at_a_logos_printed_size():
    from profiles.photos import process_logo

    small = process_photo(encode(halves((400, 160)), "PNG"))
    assert process_logo(small.data).data == small.data  # already clean: kept byte for byte
    large = process_logo(encode(halves((2400, 960)), "PNG", pnginfo=_text("Author", "Room 12")))
    assert opened(large).size == (600, 240) and b"Room 12" not in large.data
    with pytest.raises(PhotoError) as error:
        process_logo(b"Riverside Care Home")
    assert str(error.value) == (
        "This file is not a logo we can use. Choose a JPEG, PNG or WebP logo."
    )
