"""book_tools: the book's machinery (Sphinx extensions, the PDF, handouts, notebook
execution, the pre-flight check). No notebook imports it; it uses the reader's library,
geneva_talks, only through its public interface."""
