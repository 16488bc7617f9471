"""Storage: the one owner of SQL (schema, migrations, merges, runs, rejects, exports)."""
