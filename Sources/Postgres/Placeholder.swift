// Postgres module: see README.md.
