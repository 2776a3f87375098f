"""One module per ``studyreg`` subcommand; see :mod:`studyreg.cli`."""
