"""Recognising ATS job boards in URLs and careers pages (`jobsift discover`, the `boards` table)."""
