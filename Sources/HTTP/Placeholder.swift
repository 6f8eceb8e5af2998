// HTTP module: see README.md.
