"""Gold annotations: where the annotated pages live, how an annotation pass is written and placed,
and how the text of a gold record is looked up from its page (the repository keeps offsets and a
hash of each span, never a copy of other people's text)."""
