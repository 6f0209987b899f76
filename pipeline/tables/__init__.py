"""The table model, a library the stages share: a report's ruled grids as tables (title, kind,
unit, header paths, 科目编码, a table continued over pages once) and their value cells."""
