"""Which postings are one job: keys (links, company, title) and the matching, as pure functions.

The store (`pipelines/storage/jobs.py`) gives each posting a `job_id` with them after every batch.
"""
