// Client module: see README.md.
