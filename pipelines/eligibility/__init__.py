"""Eligibility: places, regions, US states, time zones, visa, work authorization, work setting."""
