"""Codes that turn probabilities into bits: Huffman, arithmetic coding, and image compression.

An ideal code spends -log2 q(x) bits on x when it is built from the distribution q; on data
from p its average length is the cross-entropy H(p, q) = H(p) + D_KL(p || q) bits, so the
KL divergence is the price, in extra bits, of a wrong model (Shannon, 1948; Cover & Thomas,
2006, ch. 5). Modules:

- :mod:`.huffman`    optimal prefix codes with whole-bit codewords, and block coding
- :mod:`.arithmetic` an arithmetic coder reaching -log2 q(x) to within two bits
- :mod:`.images`     compressing binary images with any mlebook density model
- :mod:`.baselines`  gzip, bz2, lzma, PNG and JBIG1 for comparison
"""

from .arithmetic import ArithmeticDecoder, ArithmeticEncoder, decode, decoder, encode, quantized_code_length
from .baselines import classical_codecs, jbig_bytes, packed_bits, png_bytes, png_files
from .huffman import HuffmanCode, block_distribution, from_blocks, huffman_code, to_blocks
from .images import (
    CompressionReport,
    compress_images,
    compression_report,
    decompress_images,
    ideal_code_length,
    walk_code_length,
    walk_probabilities,
)

__all__ = [
    "ArithmeticDecoder",
    "ArithmeticEncoder",
    "CompressionReport",
    "HuffmanCode",
    "block_distribution",
    "classical_codecs",
    "compress_images",
    "compression_report",
    "decode",
    "decoder",
    "decompress_images",
    "encode",
    "from_blocks",
    "huffman_code",
    "ideal_code_length",
    "jbig_bytes",
    "packed_bits",
    "png_bytes",
    "png_files",
    "quantized_code_length",
    "to_blocks",
    "walk_code_length",
    "walk_probabilities",
]
