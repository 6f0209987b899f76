"""Figure stage: numeric figures with value, unit and subject, and the document's facts."""
