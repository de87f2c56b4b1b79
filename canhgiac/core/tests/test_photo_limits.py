"""A photo of too many pixels is refused from its header, before decoding: memory stays bounded."""

import struct
import subprocess
import sys
import zlib

import pytest

from canhgiac.core import photos


def _png(width: int, height: int) -> bytes:
    """A valid RGB PNG of width × height black pixels, built row by row (a few hundred KB)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    packer = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * (3 * width)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_the_limit_is_at_most_50_megapixels():
    assert photos.MAX_PIXELS <= 50_000_000


def test_a_photo_just_over_the_limit_is_refused_naming_the_limit():
    with pytest.raises(photos.PhotoTooLarge) as refused:
        photos.clean_photo(_png(8000, 5001))
    assert str(refused.value) == "Ảnh quá lớn: 8000 × 5001 điểm ảnh, tối đa 40 triệu điểm ảnh."


def test_a_small_photo_still_passes():
    data, content_type, _ext = photos.clean_photo(_png(40, 30))
    assert content_type == "image/png" and data.startswith(b"\x89PNG")


def test_a_10000_by_10000_png_is_refused_with_bounded_memory(tmp_path):
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png(10_000, 10_000))
    assert bomb.stat().st_size < 1_000_000  # a few hundred KB that would decode to 300 MB
    # A fresh interpreter, so the peak resident memory measured is that of the refusal alone.
    script = (
        "import resource, sys\n"
        "import django; from django.conf import settings; settings.configure(USE_I18N=False)\n"
        "from canhgiac.core import photos\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "data = open(sys.argv[1], 'rb').read()\n"
        "try:\n"
        "    photos.clean_photo(data)\n"
        "except photos.PhotoTooLarge as exc:\n"
        "    print('refused', exc)\n"
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(bomb)], capture_output=True, text=True, check=True
    )
    refused, grown_mb = out.stdout.splitlines()
    assert refused.startswith("refused Ảnh quá lớn") and "tối đa 40 triệu điểm ảnh" in refused
    assert int(grown_mb) < 20, f"memory grew by {grown_mb} MB"


@pytest.mark.django_db
def test_a_tip_with_a_pixel_bomb_is_refused_in_vietnamese(client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from canhgiac.tips.models import Tip

    settings.TIP_MEDIA_DIR = str(tmp_path / "tips")
    upload = SimpleUploadedFile("anh.png", _png(10_000, 10_000), content_type="image/png")
    response = client.post(
        "/tips/report/",
        {"description": "Kho chứa hàng lậu sau chợ, xe tải chở ban đêm.", "anonymous": "1", "files": upload},
    )
    assert response.status_code == 200
    assert "tối đa 40 triệu điểm ảnh" in response.content.decode()
    assert not Tip.objects.exists()
