"""Classical lossless codecs for binary images, the yardstick for the models' code lengths.

- gzip, bz2 and lzma (xz) on the packed bits: the images' pixels, 8 to a byte, one image
  after another. They know nothing about images; they find repeated byte patterns.
- PNG in 1-bit mode: each image as its own file (a file's fixed chunks cost about 60 bytes),
  or all images tiled into one page. PNG filters each row against the row above, then
  deflates.
- JBIG1 (ITU-T T.82, 1993), the standard codec for bilevel images: an adaptive binary
  arithmetic coder whose probability for each pixel is learned, while coding, from a
  template of ten neighbouring pixels already coded. It runs on all images tiled into one
  page (a PBM file) through ``pbmtojbg`` from jbigkit (Debian package ``jbigkit-bin``), in
  sequential mode (``-q``: one resolution layer, no progressive refinement).

Every function takes images as an (n, D) array of 0/1 and returns the compressed bytes.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import math
import shutil
import subprocess

import numpy as np

from ..checks import binary_images
from ..data import IMAGE_SHAPE, tile


def packed_bits(x) -> bytes:
    """All pixels of all images, row after row, 8 pixels to a byte (the last byte zero-padded)."""
    return np.packbits(binary_images(x).ravel()).tobytes()


def gzip_bytes(x) -> bytes:
    """gzip (DEFLATE, level 9) of :func:`packed_bits`."""
    return gzip.compress(packed_bits(x), compresslevel=9, mtime=0)


def bz2_bytes(x) -> bytes:
    """bzip2 (Burrows-Wheeler, level 9) of :func:`packed_bits`."""
    return bz2.compress(packed_bits(x), compresslevel=9)


def lzma_bytes(x) -> bytes:
    """xz (LZMA2, preset 9 extreme) of :func:`packed_bits`."""
    return lzma.compress(packed_bits(x), preset=9 | lzma.PRESET_EXTREME)



def png_bytes(page: np.ndarray) -> bytes:
    """A 1-bit PNG (Pillow mode "1", ``optimize=True``) of a 2-D 0/1 page."""
    from PIL import Image

    page = np.asarray(page)
    if page.ndim != 2:
        raise ValueError(f"a page must be a 2-D array, got shape {page.shape}")
    buffer = io.BytesIO()
    Image.fromarray(page.astype(bool)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def png_files(x, image_shape: tuple[int, int] = IMAGE_SHAPE) -> list[bytes]:
    """One 1-bit PNG file per image."""
    x = binary_images(x)
    return [png_bytes(image.reshape(image_shape)) for image in x]


def pbm_bytes(page: np.ndarray) -> bytes:
    """A raw PBM (P4) file: header "P4 width height", then each row packed 8 pixels to a byte, 1 = black."""
    page = binary_images(page, name="page")
    height, width = page.shape
    return f"P4\n{width} {height}\n".encode() + np.packbits(page, axis=1).tobytes()


def jbig_bytes(page: np.ndarray, tool: str = "pbmtojbg") -> bytes:
    """JBIG1 (sequential mode) of a 2-D 0/1 page through jbigkit's ``pbmtojbg``."""
    path = shutil.which(tool)
    if path is None:
        raise FileNotFoundError(
            f"JBIG1 needs the {tool!r} program from jbigkit, which is not on PATH "
            "(Debian/Ubuntu: apt-get install jbigkit-bin)"
        )
    result = subprocess.run([path, "-q"], input=pbm_bytes(page), capture_output=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{tool} failed with exit status {result.returncode}: {result.stderr.decode(errors='replace')}")
    return result.stdout


def classical_codecs(x, image_shape: tuple[int, int] = IMAGE_SHAPE) -> dict[str, int]:
    """Compressed size in bytes of images x (n, D) under each classical codec, by codec name."""
    page = tile(binary_images(x), image_shape=image_shape)
    return {
        "gzip": len(gzip_bytes(x)),
        "bz2": len(bz2_bytes(x)),
        "lzma": len(lzma_bytes(x)),
        "PNG (one file per image)": sum(len(f) for f in png_files(x, image_shape)),
        "PNG (tiled page)": len(png_bytes(page)),
        "JBIG1 (tiled page)": len(jbig_bytes(page)),
    }
