"""Classification: cleaned title and company, seniority, employment type."""
