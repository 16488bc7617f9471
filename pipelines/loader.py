"""DuckDB loader (placeholder: being written)."""


class DuckDBPipeline:
    def process_item(self, item):
        return item
