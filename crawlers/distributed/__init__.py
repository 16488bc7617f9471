"""A crawl past one machine: a shared frontier in Redis, `jobsift worker` processes, one writer."""
