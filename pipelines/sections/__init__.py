"""Sections: responsibilities, minimum and preferred requirements, years and education."""
