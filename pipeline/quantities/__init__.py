"""The number and unit grammar, a library the stages share: printed numerals to exact values
(`numerals`), units as data (`units`), and figure spans in text (`grammar`)."""
