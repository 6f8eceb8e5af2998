// APIServer module: see README.md.
