"""Every message the toolkit raises, numbered, so users and tests can recognise them."""

from __future__ import annotations


class Errors:
    E001 = "[E001] {path}: cannot read file: {reason}"
    E002 = "[E002] {path}: empty document"
    E003 = "[E003] {path}: binary file, not text ({reason})"
    E004 = "[E004] {path}: cannot detect the text encoding"
    E005 = "[E005] {path}:{line}: invalid JSON: {reason}"
    E006 = "[E006] {path}:{line}: record has no 'text' field"
    E007 = "[E007] {path}: no text layer in PDF"
    E008 = "[E008] {path}: unsupported file type '{suffix}'"
    E009 = "[E009] {path}: no such file or folder"
    E010 = "[E010] {path}: not a claims output folder (missing {name})"
    E011 = "[E011] {path}:{line}: invalid output record: {reason}"
    E012 = "[E012] unknown value {value!r} for {option}; expected one of: {allowed}"
    E013 = "[E013] {path}: cannot parse config: {reason}"
    E014 = "[E014] duplicate doc_id {doc_id!r} ({path}); later copy skipped"
    E015 = "[E015] {path}: no gold annotations found"
    E016 = "[E016] model file {path} not found: run `claims train {what}` first"
    E017 = "[E017] {doc_id}: processing failed: {reason}"
    E018 = "[E018] {path}: another `claims run` is writing to this folder; wait for it or use another --out"
    E019 = "[E019] --engine dask needs the `distributed` package: pip install 'dask[distributed]'"
    E020 = "[E020] cannot reach a Dask scheduler at {address!r}: {reason}"
    E021 = "[E021] {path}: gold record's page is unusable: {reason}"
    E022 = "[E022] {path}: inside the output folder {out}; a run never reads its own outputs"
    E023 = "[E023] {inputs}: no documents to process ({found}); outputs left as they were"
    E024 = "[E024] {path}:{line}: doc_id {doc_id!r} cannot be used: {reason}"
    E025 = "[E025] {path}: its header's text_file {target} cannot be read: {reason}"


class ClaimsError(Exception):
    """Base class: every error the toolkit raises on purpose is one of these."""


class InputError(ClaimsError):
    """A document or output file that cannot be used; the message names the file."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class ConfigError(ClaimsError):
    """A bad option or configuration value."""
