"""studyreg: a self-grading study and quiz tool backed by live NumPy experiments."""

__version__ = "0.1.0"
