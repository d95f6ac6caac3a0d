"""Views of a finished run that leave the terminal: the one-file HTML report (`claims report OUT
--html FILE`) and the data behind it (`page_data`, also written as JSON for people's own views)."""
