"""jobsift's Scrapy project: settings, spiders, page-parsing helpers and the `jobsift` command."""
