"""Photos: checked by content, turned upright, stripped of metadata and scaled down.

A photo that is already clean is kept byte for byte, so a profile's export re-imports
with the same pixels: JPEG re-encoding would otherwise lose a little every time.
An organisation's logo goes through the same checks, kept at a logo's printed size.
"""

from __future__ import annotations

import hashlib
import io
import math
from dataclasses import dataclass

from PIL import (
    Image,
    ImageCms,
    ImageFile,
    ImageOps,
    JpegImagePlugin,
    PngImagePlugin,
    WebPImagePlugin,
)

MAX_PHOTO_MB = 10
MAX_PHOTO_BYTES = MAX_PHOTO_MB * 1024 * 1024
MAX_SIDE = 1200
# A logo prints at most about 5 cm wide: 600 pixels is 300 dots an inch there.
LOGO_MAX_SIDE = 600
# Checked before decoding: a phone photo is 12 to 48 megapixels; a decoded 50 MP photo
# already takes 200 MB of memory.
MAX_PIXELS = 50_000_000
ALLOWED = {"image/jpeg", "image/png", "image/webp"}
NAMES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP"}

# Opening the plugin's class directly (rather than Image.open) reads only the header
# and never guesses the type from anything but the bytes sniffed below.
_OPENERS = {
    "image/jpeg": JpegImagePlugin.JpegImageFile,
    "image/png": PngImagePlugin.PngImageFile,
    "image/webp": WebPImagePlugin.WebPImageFile,
}
_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


@dataclass(frozen=True)
class Picture:
    """What a picture is to the person choosing it, and the largest side it is kept at."""

    noun: str
    max_side: int
    again: str  # what else the person can do: a photo can be taken again, a logo exported

    @property
    def choose(self) -> str:
        return f"Choose a JPEG, PNG or WebP {self.noun}."


PHOTO = Picture("photo", MAX_SIDE, "take a new one")
LOGO = Picture("logo", LOGO_MAX_SIDE, "save it again from where it was made")


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    media_type: str
    width: int
    height: int
    sha256: str


class PhotoError(ValueError):
    """A photo we cannot use; str() tells a care worker what is wrong and what to do.

    `reason` says the same in a few words, for lists of problems in a file.
    """

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason or message


def process_photo(
    data: bytes, media_type: str | None = None, picture: Picture = PHOTO
) -> CleanPhoto:
    """Check a photo (or logo) and return it clean: upright, no metadata, at most its
    largest side."""
    # With this on, Pillow pads a cut-off photo with grey instead of refusing it. WeasyPrint
    # turns it on when imported, to draw damaged images rather than fail; every photo our
    # renders draw has passed this check, so turning it off again costs them nothing.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    found = _check_bytes(data, media_type, picture)
    image = _open(data, found, picture)
    if _is_bare(found, data, image, picture.max_side):
        return _clean(data, image.size, found)
    try:
        return _clean(*_reencode(image, found, picture.max_side), found)
    except (OSError, ValueError, SyntaxError):
        # A photo that decodes but whose EXIF or colour profile is corrupt.
        raise _damaged(picture) from None


def process_logo(data: bytes) -> CleanPhoto:
    """Check an organisation's logo as a photo is checked, and keep it at a logo's size."""
    return process_photo(data, picture=LOGO)


def _check_bytes(data: bytes, media_type: str | None, picture: Picture) -> str:
    """The photo's type, from its first bytes; PhotoError if it is not one we take."""
    noun, choose = picture.noun, picture.choose
    if not data:
        raise PhotoError(f"This file is empty. {choose}", "the file is empty")
    if len(data) > MAX_PHOTO_BYTES:
        size = megabytes(len(data))
        raise PhotoError(
            f"This {noun} is {size:.1f} MB. {noun.capitalize()}s can be up to {MAX_PHOTO_MB} "
            "MB: choose a smaller one.",
            f"it is {size:.1f} MB; at most {MAX_PHOTO_MB} MB",
        )
    found = sniff(data)
    if found is None:
        if data.startswith(b"%PDF"):
            raise PhotoError(f"This file is a PDF document, not a {noun}. {choose}", "it is a PDF")
        if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
            raise PhotoError(
                f"This {noun} is in HEIC format, which iPhones use and we cannot. "
                f"{choose} On an iPhone, share the photo and choose JPEG, or set "
                "Settings > Camera > Formats to Most Compatible.",
                "it is a HEIC image",
            )
        raise PhotoError(f"This file is not a {noun} we can use. {choose}", "it is not an image")
    if media_type is not None and media_type != found:
        raise PhotoError(
            f"This file is a {NAMES[found]} {noun}, but it was described as {media_type}. {choose}",
            f"it is a {NAMES[found]} image",
        )
    return found


def megabytes(size: int) -> float:
    """A size in MB to one decimal place, rounded up so that "over 10 MB" never shows 10.0."""
    return math.ceil(size / (1024 * 1024) * 10) / 10


def sniff(data: bytes) -> str | None:
    """The media type that a file's first bytes show, or None if it is not one we take."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _open(data: bytes, media_type: str, picture: Picture) -> ImageFile.ImageFile:
    """Open, check the size, verify and fully decode the photo."""
    noun = picture.noun
    opener = _OPENERS[media_type]
    try:
        probe = opener(io.BytesIO(data))
        width, height = probe.size
        if width * height > MAX_PIXELS:
            pixels = f"{width} \N{MULTIPLICATION SIGN} {height} pixels"
            raise PhotoError(
                f"This {noun} is too large to open ({pixels}). {noun.capitalize()}s can be up "
                f"to 50 megapixels: choose a smaller one, or {picture.again} at a lower size.",
                f"it is {pixels}; at most 50 megapixels",
            )
        probe.verify()
        image = opener(io.BytesIO(data))
        image.load()
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Our own limit is lower than Pillow's, so this is only a second line of defence.
        raise PhotoError(
            f"This {noun} is too large to open. {noun.capitalize()}s can be up to 50 "
            "megapixels: choose a smaller one.",
            "it is more than 50 megapixels",
        ) from None
    except Exception:
        # Pillow raises many kinds of error (OSError, SyntaxError, ValueError, struct.error)
        # for files that are cut short or corrupt; to a person they all mean the same.
        raise _damaged(picture) from None
    return image


def _damaged(picture: Picture) -> PhotoError:
    noun = picture.noun
    return PhotoError(
        f"This {noun} is damaged or incomplete, so it cannot be opened. Choose the {noun} "
        f"again, or {picture.again}.",
        "the image data is damaged or incomplete",
    )


def _clean(data: bytes, size: tuple[int, int], media_type: str) -> CleanPhoto:
    return CleanPhoto(data, media_type, size[0], size[1], hashlib.sha256(data).hexdigest())


def _reencode(
    image: ImageFile.ImageFile, media_type: str, max_side: int
) -> tuple[bytes, tuple[int, int]]:
    """Turn upright, make colours sRGB, scale down and save without any metadata."""
    icc = image.info.get("icc_profile")
    transparency = image.info.get("transparency")
    im = ImageOps.exif_transpose(image)
    if icc and im.mode in ("RGB", "RGBA", "CMYK"):
        im = _to_srgb(im, icc)
    if max(im.size) > max_side:
        if im.mode not in ("RGB", "RGBA", "L", "LA"):
            im = im.convert("RGBA" if _has_alpha(im, transparency) else "RGB")
            transparency = None
        im.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    im = _output_mode(im, media_type, transparency)
    # Pillow copies some of image.info (comments, ICC) into the saved file.
    im.info = {"transparency": transparency} if transparency is not None else {}
    out = io.BytesIO()
    if media_type == "image/jpeg":
        im.save(out, "JPEG", quality=85, optimize=True)
    elif media_type == "image/png":
        im.save(out, "PNG", optimize=True)
    else:
        im.save(out, "WEBP", quality=85)
    return out.getvalue(), im.size


def _to_srgb(im: Image.Image, icc: bytes) -> Image.Image:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        srgb = ImageCms.createProfile("sRGB")
        mode = "RGBA" if im.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(im, source, srgb, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        # A broken or unusual profile: the pixels are still right, the colours nearly so.
        return im


def _has_alpha(im: Image.Image, transparency: object) -> bool:
    return im.mode in ("RGBA", "LA", "PA") or transparency is not None


def _output_mode(im: Image.Image, media_type: str, transparency: object) -> Image.Image:
    """Pixels the output type can hold: JPEG has no transparency, so it goes on white."""
    if media_type == "image/jpeg":
        if im.mode in ("RGB", "L"):
            return im
        if _has_alpha(im, transparency):
            rgba = im.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            return flat
        return im.convert("RGB")
    if media_type == "image/png":
        if im.mode in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"):
            return im
        return im.convert("RGBA" if _has_alpha(im, transparency) else "RGB")
    if im.mode in ("RGB", "RGBA"):
        return im
    return im.convert("RGBA" if _has_alpha(im, transparency) else "RGB")


def _is_bare(media_type: str, data: bytes, image: Image.Image, max_side: int) -> bool:
    """True if the file holds only pixels, needs no turning and is small enough to keep."""
    if max(image.size) > max_side:
        return False
    if media_type == "image/jpeg":
        return image.mode in ("RGB", "L") and _jpeg_is_bare(data)
    if media_type == "image/png":
        return _png_is_bare(data)
    return image.mode in ("RGB", "RGBA") and _webp_is_bare(data)


# Segments that hold only pixels or how to decode them: SOF0-2, DHT, SOS, DQT, DRI, EOI.
_JPEG_PIXEL_MARKERS = {0xC0, 0xC1, 0xC2, 0xC4, 0xDA, 0xDB, 0xDD}


def _jpeg_is_bare(data: bytes) -> bool:
    """Walk every JPEG segment: only JFIF/Adobe headers and pixel data, nothing after EOI."""
    pos, end = 2, len(data)
    while pos + 2 <= end:
        if data[pos] != 0xFF:
            return False
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker == 0xD9:
            return pos + 2 == end
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        body = data[pos + 4 : pos + 2 + length]
        if marker == 0xE0:
            # A bare JFIF header is exactly 14 bytes with no thumbnail (0 x 0).
            if len(body) != 14 or not body.startswith(b"JFIF\x00") or body[12:14] != b"\0\0":
                return False
        elif marker == 0xEE:
            if len(body) != 12 or not body.startswith(b"Adobe"):
                return False
        elif marker not in _JPEG_PIXEL_MARKERS:
            return False  # EXIF, XMP, ICC, comments, IPTC, thumbnails...
        pos += 2 + length
        if marker == 0xDA:
            pos = _after_scan(data, pos)
    return False


def _after_scan(data: bytes, pos: int) -> int:
    """The position of the first marker after entropy-coded scan data."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            return len(data)
        following = data[pos + 1]
        # FF00 is an escaped data byte and FFD0-FFD7 are restart markers inside a scan.
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            pos += 2
        else:
            return pos


# PNG chunks that hold only pixels or how to show them (not text, time, EXIF or ICC).
_PNG_PIXEL_CHUNKS = {
    b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND",
    b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"bKGD", b"pHYs",
}  # fmt: skip


def _png_is_bare(data: bytes) -> bool:
    """Walk every PNG chunk: only pixel chunks, nothing after IEND."""
    pos, end = 8, len(data)
    while pos + 12 <= end:
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        if kind not in _PNG_PIXEL_CHUNKS:
            return False
        pos += 12 + length
        if kind == b"IEND":
            return pos == end
    return False


def _webp_is_bare(data: bytes) -> bool:
    """Walk every WebP chunk: only image data and alpha, no EXIF, XMP, ICC or animation."""
    if int.from_bytes(data[4:8], "little") + 8 != len(data):
        return False
    pos, end = 12, len(data)
    while pos + 8 <= end:
        kind = data[pos : pos + 4]
        if kind not in (b"VP8 ", b"VP8L", b"VP8X", b"ALPH"):
            return False
        length = int.from_bytes(data[pos + 4 : pos + 8], "little")
        pos += 8 + length + (length & 1)
    return pos == end
