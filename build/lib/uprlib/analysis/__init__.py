"""Analysis behind each section of the assessment; notebooks call these and show the results."""
