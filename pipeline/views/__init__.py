"""What reads an output folder for people: the terminal views (`show`, `checks`), the review
site, the workbook export, the gold evaluation, and the spaCy view of a stored document."""
