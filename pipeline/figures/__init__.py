"""Figure stage: every numeric figure of a document, in its running text (the number grammar of
`pipeline.quantities`) and in its tables (the table model of `pipeline.tables`), each with its
value, unit, bound and subject."""
