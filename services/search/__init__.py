"""Search in every language and script: folding, the index, and the query."""
