"""mlebook: the package behind the interactive book *Maximum Likelihood Learning*.

Modules, one job each:

- :mod:`mlebook.data`    binarized digits (embedded subset, full MNIST, binarized MNIST)
- :mod:`mlebook.info`    entropy, cross-entropy and the KL divergence
- :mod:`mlebook.coding`  Huffman and arithmetic codes, compressing images with a model
- :mod:`mlebook.models`  density models of binary images sharing ``log_prob`` / ``sample``
- :mod:`mlebook.train`   the maximum-likelihood training loop
- :mod:`mlebook.zoo`     the book's trained models, trained once and cached
- :mod:`mlebook.widgets` the interactive explorers used by the chapters
- :mod:`mlebook.plot`    image grids and the book's recurring figures
"""

__version__ = "0.1.0"
