"""Dates: posted_at and valid_through from ISO, epoch, RFC 822, absolute and relative text."""
