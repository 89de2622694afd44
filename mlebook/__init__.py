"""mlebook: the package behind the interactive book *Maximum Likelihood Learning*.

Layers, each importing only the ones above it:

- core: :mod:`mlebook.checks` (input validation), :mod:`mlebook.data` (binarized digits),
  :mod:`mlebook.info` (entropy, cross-entropy, KL), :mod:`mlebook.train` (the
  maximum-likelihood loop), :mod:`mlebook.zoo` (the book's trained models, cached),
  :mod:`mlebook.cli` (``python -m mlebook``);
- :mod:`mlebook.models`: density models of binary images sharing ``log_prob`` / ``sample``;
- :mod:`mlebook.coding`: Huffman and arithmetic codes, compressing images with a model;
- :mod:`mlebook.chapters`: helpers that serve one chapter each;
- :mod:`mlebook.explorers`: the interactive explorers of the chapters.
"""

__version__ = "0.1.0"
