"""The catalogue: the benefits on offer and their dated rates."""
