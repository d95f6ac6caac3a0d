"""Messages of the annotation tool, numbered like nlp/errors.py (A-codes, so the two never clash)."""

from __future__ import annotations

from ..errors import ClaimsError


class AnnotateErrors:
    A001 = "[A001] unknown sentence {doc_id}:{sent_id}"
    A002 = "[A002] invalid {field} {value!r}; expected one of: {allowed}"
    A003 = "[A003] malformed JSON body: {reason}"
    A004 = "[A004] missing or invalid field {field!r}: {reason}"
    A005 = "[A005] unknown layer {layer!r}; expected one of: {allowed}"
    A006 = "[A006] span {start}-{end} is not inside sentence {doc_id}:{sent_id} ({sent_start}-{sent_end})"
    A007 = "[A007] no span {start}-{end} in layer {layer} of {doc_id}:{sent_id}"
    A008 = "[A008] unknown link {item!r}"
    A009 = "[A009] nothing to undo for annotator {annotator!r}"
    A010 = "[A010] {path}: not an annotation database ({reason})"
    A011 = "[A011] {doc_id}: the database holds labels for a different segmentation of this document; use a new --db"
    A012 = "[A012] {path}:{where}: cannot import: {reason}"
    A013 = "[A013] unknown format {value!r}; expected one of: {allowed}"
    A014 = "[A014] the database has no labels to export"
    A015 = ("[A015] listening on {host} (beyond this machine) needs --allow-host NAME for every host name "
            "browsers will use and a --password; refusing to start without them")


class AnnotationError(ClaimsError):
    """A request or file the annotation tool cannot use; the web API answers it with 4xx."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status
