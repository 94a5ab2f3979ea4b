"""Plain Python: survey definitions, answer validation, form fields, the stored answer format, wording, samples."""
