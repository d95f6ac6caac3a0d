"""Reading real and broken inputs: every bad file gets one clear line and the rest go on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.errors import InputError
from nlp.ingest import read_documents
from nlp.ingest.header import split_header
from nlp.ingest.metadata import infer_date, normalise_kind

from ..conftest import CORPUS, NO_SHARED, PAGES, page_path


def _read(*paths):
    return list(read_documents(paths))


def test_corpus_reads_every_document_with_metadata(corpus_docs):
    if not PAGES.is_dir():
        pytest.skip(NO_SHARED)
    assert len(corpus_docs) == 38  # the five seeds and the 33 pages
    seed = corpus_docs["000_57d1069afaf7de82"]
    assert seed.kind == "testimony" and seed.author == "Justin Russell" and seed.date == "2020-09"
    assert seed.text.startswith("Written evidence from Justin Russell")
    assert all(doc.kind in {"testimony", "blog", "report", "press-release", "briefing", "news", "debate", "other"}
               for doc in corpus_docs.values())
    # page-097's header says `comment-thread`: normalised, the raw name kept
    assert corpus_docs["page-097"].kind == "blog"
    assert corpus_docs["page-097"].extra["kind_raw"] == "comment-thread"


def test_header_is_not_part_of_the_text(corpus_docs):
    raw = (page_path("page-003")).read_text(encoding="utf-8")
    assert raw.startswith("url: ")
    assert "url:" not in corpus_docs["page-003"].text[:200]
    assert raw.endswith(corpus_docs["page-003"].text)


@pytest.mark.parametrize("raw, meta_keys, text_start", [
    ("title: A\nkind: blog\n---\nBody text.", {"title", "kind"}, "Body text."),
    ("No header here.\n---\nmore", set(), "No header here."),
    ("Note: a sentence with a colon\nand more text\n", set(), "Note: a sentence"),
    ("title: A\n\nBody without a closing rule", set(), "title: A"),
])
def test_split_header(raw, meta_keys, text_start):
    meta, text = split_header(raw)
    assert set(meta) == meta_keys
    assert text.startswith(text_start)


def test_date_and_title_inferred_without_header(tmp_path):
    path = tmp_path / "end-of-era.txt"
    path.write_text("Friday 4 December 2020\n\nEnd of an Era\n\nYesterday saw publication of the report.\n")
    (doc,) = _read(path)
    assert doc.date == "2020-12-04" and doc.title == "Friday 4 December 2020" and doc.doc_id == "end-of-era"
    assert infer_date("Written in September 2020 by the Inspectorate") == "2020-09"
    assert normalise_kind("Press Release") == "press-release" and normalise_kind("zine") == "other"


def test_cp1252_and_bom_are_decoded(tmp_path):
    cp = tmp_path / "cp.txt"
    cp.write_bytes("The CRCs received £155m – a bail-out “on top”.".encode("cp1252"))
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + "Napo’s view.".encode("utf-8"))
    docs = {d.doc_id: d for d in _read(cp, bom)}
    assert docs["cp"].text == "The CRCs received £155m – a bail-out “on top”."
    assert docs["bom"].text == "Napo’s view."


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"", "empty document"),
    ("blank.txt", b"  \n\n \t\n", "empty document"),
    ("binary.txt", bytes(range(256)) * 20, "binary file"),
    ("image.pdf", b"%PDF-1.4 not really a pdf", "broken PDF"),
    ("notes.docx", b"PK\x03\x04", "unsupported file type"),
])
def test_bad_files_give_one_line_errors(tmp_path, name, content, message):
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("Probation was reunified in June 2021.")
    results = _read(bad, good)
    errors = [r for r in results if isinstance(r, InputError)]
    assert len(errors) == 1 and message in str(errors[0]) and str(bad) in str(errors[0])
    assert "\n" not in str(errors[0])
    assert [r.doc_id for r in results if not isinstance(r, InputError)] == ["good"]


def test_a_header_reads_its_text_from_the_file_it_names(tmp_path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "page.txt").write_text("Napo welcomed the decision.\r\n", encoding="utf-8")
    (tmp_path / "doc.txt").write_text("title: Napo\nkind: press release\ntext_file: texts/page.txt\n---\n")
    [doc] = _read(tmp_path / "doc.txt")
    assert doc.doc_id == "doc" and doc.title == "Napo" and doc.text == "Napo welcomed the decision.\n"
    assert "text_file" not in doc.extra


@pytest.mark.parametrize("body, target, reason", [("", "gone.txt", "No such file"),
                                                  ("Its own text.\n", "doc.txt", "has text of its own")])
def test_a_text_file_that_cannot_be_used_gives_one_line(tmp_path, body, target, reason):
    (tmp_path / "doc.txt").write_text(f"title: X\ntext_file: {target}\n---\n{body}")
    [error] = _read(tmp_path / "doc.txt")
    assert isinstance(error, InputError) and "[E025]" in str(error) and reason in str(error)
    assert "doc.txt" in str(error) and "\n" not in str(error)


def test_missing_path_is_reported(tmp_path):
    (error,) = _read(tmp_path / "nowhere")
    assert isinstance(error, InputError) and "no such file" in str(error)


def test_jsonl_corpus_with_a_broken_line(tmp_path):
    path = tmp_path / "corpus.jsonl"
    lines = [json.dumps({"doc_id": "a", "text": "The NPS is performing better overall.", "kind": "report"}),
             '{"doc_id": "b", "text": "unterminated',
             json.dumps({"doc_id": "c", "title": "no text"}),
             json.dumps({"text": "Eight out of ten CRCs were rated inadequate.", "date": "2019-03"})]
    path.write_text("\n".join(lines) + "\n")
    results = _read(path)
    errors = [str(r) for r in results if isinstance(r, InputError)]
    docs = [r for r in results if not isinstance(r, InputError)]
    assert [d.doc_id for d in docs] == ["a", "corpus-4"]
    assert docs[0].kind == "report" and docs[1].date == "2019-03"
    assert len(errors) == 2 and f"{path}:2: invalid JSON" in errors[0] and f"{path}:3" in errors[1]


def test_html_page_full_of_scripts(tmp_path):
    page = tmp_path / "page.html"
    scripts = "".join(f"<script>var tracker{i} = function() {{ return {i}; }};</script>" for i in range(500))
    page.write_text(f"<html><head><title>Probation news</title>{scripts}<style>p{{color:red}}</style></head>"
                    f"<body><nav><a href='/'>Home</a> | <a href='/about'>About</a></nav>{scripts}"
                    "<article><h1>CRC contracts ended</h1><p>The Ministry of Justice ended the contracts early.</p>"
                    "<ul><li>Wales first, in December 2019.</li><li>England in June 2021.</li></ul></article>"
                    "<footer>Cookie settings</footer></body></html>")
    (doc,) = _read(page)
    assert doc.title == "Probation news"
    assert "tracker" not in doc.text and "Home" not in doc.text and "Cookie" not in doc.text
    assert "The Ministry of Justice ended the contracts early." in doc.text
    assert "• Wales first, in December 2019." in doc.text


def _pdf_with_text(line: str) -> bytes:
    """A one-page PDF whose text layer holds `line` (Helvetica), xref offsets computed."""
    stream = f"BT /F1 12 Tf 20 100 Td ({line}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_text_layer_is_read(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(_pdf_with_text("The NPS took over offender management in June 2021."))
    (doc,) = _read(path)
    assert not isinstance(doc, InputError), doc
    assert "The NPS took over offender management in June 2021." in doc.text
    assert doc.doc_id == "report" and doc.date == "2021-06"


def test_pdf_without_text_layer_is_reported(tmp_path):
    pypdf = pytest.importorskip("pypdf")

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    path = tmp_path / "blank.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    (error,) = _read(path)
    assert isinstance(error, InputError) and "no text layer" in str(error)


def test_jsonl_corpus_is_read_line_by_line_past_a_binary_line(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(json.dumps({"doc_id": "a", "text": "The NPS took over."}).encode() + b"\n"
                     + b"\x00\x01\x02\x03 not text\n"
                     + json.dumps({"doc_id": "b", "text": "Napo welcomed it."}).encode() + b"\n")
    results = _read(path)
    assert [r.doc_id for r in results if not isinstance(r, InputError)] == ["a", "b"]
    (error,) = [r for r in results if isinstance(r, InputError)]
    assert f"{path}:2" in str(error) and "binary" in str(error)
