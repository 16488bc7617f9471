"""One spider per source; each only crawls and maps the source's fields to a raw posting."""
