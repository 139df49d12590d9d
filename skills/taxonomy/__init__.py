"""A catalogue of public skills standards (issue 27): ESCO and O*NET, as their downloads publish them.

- models: the catalogue's occupations, skills and the relations between them, keyed by the
  standard's own ids
- reading: the downloads' files read row by row, every problem named by file, line and column
- importing: taxonomy_import, the one transaction that writes a download in batches
- admin: read-only, searchable pages of the catalogue
"""
