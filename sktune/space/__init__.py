"""Search spaces: names -> distributions, dicts <-> unit-cube rows, designs."""

from ._design import SAMPLERS, UnitDesign
from ._space import Dimension, SearchSpace, candidate_key

__all__ = ["SAMPLERS", "Dimension", "SearchSpace", "UnitDesign", "candidate_key"]
