"""Density models of binary images, all speaking one interface (see :mod:`.base`).

``MODELS`` maps the short names used on the command line to the classes; :func:`load` rebuilds
any saved model.
"""

from .base import DensityModel, bernoulli_log_prob, load
from .context_nade import ContextNADE
from .fvsbn import FVSBN
from .independent import IndependentBernoulli
from .made import MADE
from .mixture import MixtureOfBernoullis
from .nade import NADE

MODELS = {
    "independent": IndependentBernoulli,
    "mixture": MixtureOfBernoullis,
    "fvsbn": FVSBN,
    "nade": NADE,
    "made": MADE,
    "context-nade": ContextNADE,
}

__all__ = [
    "ContextNADE",
    "FVSBN",
    "MADE",
    "MODELS",
    "NADE",
    "DensityModel",
    "IndependentBernoulli",
    "MixtureOfBernoullis",
    "bernoulli_log_prob",
    "load",
]
