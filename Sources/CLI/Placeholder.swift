// CLI module: see README.md.
