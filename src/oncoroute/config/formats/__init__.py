"""One date format per language for every page: `{{ day|date }}` and
`{{ moment|date:"DATETIME_FORMAT" }}` read these instead of Django's locale defaults."""
