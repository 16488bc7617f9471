"""The document model: a description (HTML, markdown or plain text) parsed once into blocks."""
