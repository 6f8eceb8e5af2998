// Scheduler module: see README.md.
