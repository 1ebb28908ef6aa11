"""Generate a corpus of nasty input files (and synthetic articles) into a folder.

Nothing binary is committed: every file is produced here, from code, deterministically.

    python tests/nasty/make_nasty.py OUT_DIR [--small]     # nasty corpus + manifest.json
    python tests/nasty/make_nasty.py OUT_DIR --articles 300 [--seed 7] [--version 0]

``make_nasty(folder)`` returns a manifest: file name -> expected outcome, either
``{"outcome": "built"}`` or ``{"outcome": "skipped", "problem": <substring of the reason>}``
(``"outcome": "ignored"`` for files that folder discovery passes over on purpose, ``"either"``
where built or skipped are both fine). ``"bug"`` would name the failing test of an outcome we want
but do not get yet.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

GOOD_TEXT = ("Regulators Fine Nordhaven Cloud Over Model Release\n\n"
             "The European Commission fined Nordhaven Cloud on Tuesday over its Aurora-3 model. "
             "\"We cannot let frontier systems reach millions of users untested,\" said Marta Kowalczyk, "
             "the head of enforcement. OpenAI said it would comply with the EU AI Act.\n")

# Sizes. The loader's caps (loaders/read.py MAX_CHARS = 5,000,000 characters of text, 4x that of
# HTML) decide which of these are refused; the huge file is well above them.
HUGE_BYTES = 50 * 1024 * 1024
LONG_LINE_CHARS = 4_900_000      # just under MAX_CHARS, so the rules really run over it


def _w(folder: Path, name: str, data: bytes | str) -> Path:
    p = folder / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def _good_variant(i: int) -> str:
    return GOOD_TEXT.replace("Tuesday", ["Monday", "Wednesday", "Thursday", "Friday", "Sunday"][i % 5]) \
        + f"\nNote {i}: Anthropic said it supports the rules.\n"


def long_line(chars: int, *, quotes: bool, seed: int = 5) -> str:
    """A document whose second line is ``chars`` characters with no space (a minified blob).
    With ``quotes`` the blob holds straight double quotes, which quotation rules pair up."""
    rng = random.Random(seed)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,'"
    token = "".join(rng.choice(alphabet) for _ in range(chars))
    if quotes:   # an even number of quotes on the line, one every ~64 characters
        step = 64
        token = "".join(token[i:i + step - 1] + '"' for i in range(0, len(token), step))
        if token.count('"') % 2:
            token += '"'
    return "OpenAI said it will comply.\n" + token + "\nThe European Commission agreed.\n"


def broken_turtle(bad_line: int) -> str:
    """Turtle with ``bad_line - 1`` good triples, then an unterminated string, then more triples."""
    lines = [f'<http://example.org/s{i}> <http://example.org/p> "value {i}" .' for i in range(1, bad_line)]
    lines.append('<http://example.org/bad> <http://example.org/p> "unterminated .')
    lines += [f'<http://example.org/t{i}> <http://example.org/p> "after {i}" .' for i in range(100)]
    return "\n".join(lines) + "\n"


def make_nasty(folder: str | os.PathLike, *, big: bool = True) -> dict[str, dict]:
    """Write the nasty corpus into ``folder`` and return (and write) its manifest."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    m: dict[str, dict] = {}

    def skipped(name, problem, **extra):
        m[name] = {"outcome": "skipped", "problem": problem, **extra}

    def built(name, **extra):
        m[name] = {"outcome": "built", **extra}

    # -- good documents, some with awkward but legal encodings -----------------------------------
    _w(folder, "good_plain.txt", _good_variant(0)); built("good_plain.txt")
    _w(folder, "good_bom.txt", b"\xef\xbb\xbf" + _good_variant(1).encode()); built("good_bom.txt")
    _w(folder, "good_mixed_newlines.txt",
       _good_variant(2).replace("\n\n", "\r\n\r\n").replace(". ", ".\r", 1).replace(". \"", ".\n\"", 1))
    built("good_mixed_newlines.txt")
    _w(folder, "good_doc.md", "# " + _good_variant(3)); built("good_doc.md")
    _w(folder, "good_record.json", json.dumps({"text": _good_variant(4), "title": "A title"}))
    built("good_record.json")
    _w(folder, "weird name 'é' & <x>.txt", _good_variant(5)); built("weird name 'é' & <x>.txt")
    _w(folder, "good_html_hostile.html",
       "<html><head><title>Nordhaven fined</title><script>document.write('SCRIPTPAYLOAD')</script>"
       "<style>body{}</style></head><body><iframe src=\"javascript:alert('IFRAMEPAYLOAD')\"></iframe>"
       "<article><h1>Regulators fine Nordhaven Cloud</h1>"
       + "".join(f"<p>{para}</p>" for para in [
           "The European Commission fined Nordhaven Cloud on Tuesday over its Aurora-3 model, "
           "officials said in a statement published in Brussels this week.",
           "&quot;We cannot let frontier systems reach millions of users untested,&quot; said Marta "
           "Kowalczyk, the head of enforcement at the authority, speaking to reporters.",
           "OpenAI said it would comply with the EU AI Act &amp; its codes &#x2014; &lt;b&gt;all of them&lt;/b&gt;."
           " " + "&amp;" * 2000,
           "<script>alert('INLINEPAYLOAD')</script>Anthropic said it supports the rules and would publish "
           "its own assessment of the model within weeks.",
       ]) + "</article><img src=x onerror=\"alert('IMGPAYLOAD')\"></body></html>")
    built("good_html_hostile.html", absent=["SCRIPTPAYLOAD", "IFRAMEPAYLOAD", "INLINEPAYLOAD", "IMGPAYLOAD"])
    # Billion laughs: HTML parsers must not expand internal DTD entities.
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
            + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
                      for i in range(1, 10))
            + ']>\n<html><body><article><p>&lol9; The European Commission fined Nordhaven Cloud on '
              'Tuesday over its Aurora-3 model, officials said in Brussels this week.</p>'
              '<p>OpenAI said it would comply with the EU AI Act and publish its own assessment.</p>'
              '</article></body></html>')
    _w(folder, "entity_bomb.html", bomb)
    m["entity_bomb.html"] = {"outcome": "either", "max_text": 100_000}

    # -- empty, binary, wrong encodings ------------------------------------------------------------
    _w(folder, "empty.txt", b""); skipped("empty.txt", "empty")
    _w(folder, "new\nline\rname.txt", b""); skipped("new\nline\rname.txt", "empty")   # message stays one line
    _w(folder, "whitespace.md", " \t\r\n\n   \u00a0\n".encode()); skipped("whitespace.md", "empty")
    _w(folder, "png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    skipped("png.txt", "binary")
    _w(folder, "elf.md", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + bytes(range(256)))
    skipped("elf.md", "binary")
    _w(folder, "archive.json", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)))
    skipped("archive.json", "binary")
    _w(folder, "latin1.txt", "Caf\xe9 society: the European Commission fined OpenAI.".encode("latin-1"))
    skipped("latin1.txt", "not valid UTF-8")
    _w(folder, "surrogate_bytes.txt", b"OpenAI \xed\xa0\x80 said so.")   # CESU/WTF-8 surrogate
    skipped("surrogate_bytes.txt", "not valid UTF-8")
    _w(folder, "utf16.txt", GOOD_TEXT.encode("utf-16"))                 # BOM + UTF-16LE
    skipped("utf16.txt", "UTF-16")
    _w(folder, "utf16be.txt", b"\xfe\xff" + GOOD_TEXT.encode("utf-16-be"))
    skipped("utf16be.txt", "UTF-16")

    # -- malformed JSON / JSONL --------------------------------------------------------------------
    _w(folder, "truncated.json", '{"text": "OpenAI said'); skipped("truncated.json", "malformed JSON")
    _w(folder, "not_object.json", '["OpenAI said so"]'); skipped("not_object.json", "'text' field")
    _w(folder, "text_not_string.json", '{"text": 42}'); skipped("text_not_string.json", "'text' field")
    _w(folder, "title_wrong_type.json", json.dumps({"text": GOOD_TEXT, "title": ["x"]}))
    skipped("title_wrong_type.json", "must be a string")
    _w(folder, "bad_line.jsonl", json.dumps({"text": _good_variant(6)}) + "\n{oops\n")
    skipped("bad_line.jsonl#L2", "whole file skipped")
    _w(folder, "deep.json", "[" * 100_000 + "]" * 100_000)
    skipped("deep.json", "nested too deeply")
    _w(folder, "deep_text.jsonl", '{"text": ' + "{\"a\":" * 100_000 + "1" + "}" * 100_000 + "}\n")
    skipped("deep_text.jsonl#L1", "nested too deeply")
    _w(folder, "lone_surrogate.json", '{"text": "OpenAI said \\ud800 the EU AI Act is fine, the European '
                                      'Commission said on Tuesday in Brussels."}')
    built("lone_surrogate.json")

    # -- sidecars with wrong types -----------------------------------------------------------------
    _w(folder, "sidecar_wrong_type.txt", _good_variant(7))
    _w(folder, "sidecar_wrong_type.txt.meta.json", json.dumps({"title": 5, "date": "2024-01-02"}))
    skipped("sidecar_wrong_type.txt.meta.json", "must be a string")
    _w(folder, "sidecar_list.txt", _good_variant(8))
    _w(folder, "sidecar_list.txt.meta.json", "[1, 2]")
    skipped("sidecar_list.txt.meta.json", "expected a JSON object")
    _w(folder, "sidecar_bad_date.txt", _good_variant(9))
    _w(folder, "sidecar_bad_date.txt.meta.json", json.dumps({"date": "last Tuesday"}))
    skipped("sidecar_bad_date.txt.meta.json", "not ISO")
    _w(folder, "sidecar_binary.txt", _good_variant(10))
    _w(folder, "sidecar_binary.txt.meta.json", b"\xff\xfe\x00\x00garbage")
    skipped("sidecar_binary.txt.meta.json", "malformed sidecar")
    _w(folder, "sidecar_bad_url.txt", _good_variant(11))
    _w(folder, "sidecar_bad_url.txt.meta.json", json.dumps({"url": "http://exa mple.com/a b>\"<x>",
                                                            "title": "Ti\u0000tle \"quoted\""}))
    built("sidecar_bad_url.txt")

    # -- links, unreadable files --------------------------------------------------------------------
    sub = folder / "loopdir"
    sub.mkdir(exist_ok=True)
    _w(sub, "inner.txt", _good_variant(12)); built("loopdir/inner.txt")
    for link, target in ((sub / "up", ".."), (sub / "self", "."), (folder / "self_loop.txt", "self_loop.txt"),
                         (folder / "dangling.txt", "does-not-exist.txt"),
                         (folder / "unreadable_proc.txt", "/proc/self/mem")):
        if link.is_symlink():
            link.unlink()
        os.symlink(target, link)
    # Folder symlinks are not followed (documented), so the loops are harmless and silent.
    m["loopdir/up"] = m["loopdir/self"] = {"outcome": "ignored"}
    skipped("self_loop.txt", "cannot read (Too many levels of symbolic links)")
    skipped("dangling.txt", "cannot read (No such file or directory)")
    # /proc/self/mem is a regular file that fails with EIO when read at offset 0, even as root:
    # the portable way to provoke an OSError where chmod 000 does not (root reads anything).
    skipped("unreadable_proc.txt", "cannot read")
    _w(folder, "mode000.txt", _good_variant(13))
    os.chmod(folder / "mode000.txt", 0)
    if os.geteuid() == 0:
        built("mode000.txt", note="root ignores file modes")
    else:
        skipped("mode000.txt", "cannot read")
    fifo = folder / "fifo.txt"
    if not fifo.exists():
        os.mkfifo(fifo)
    m["fifo.txt"] = {"outcome": "ignored"}       # not a regular file: never opened (would block)

    # -- size ------------------------------------------------------------------------------------
    if big:
        line = "The European Commission fined OpenAI. " * 200 + "\n"
        with open(folder / "huge.txt", "wb") as fh:
            block = line.encode() * 1000
            written = 0
            while written < HUGE_BYTES:
                fh.write(block)
                written += len(block)
        skipped("huge.txt", "too large")
        rng = random.Random(5)
        _w(folder, "long_line.txt", long_line(LONG_LINE_CHARS, quotes=False))
        built("long_line.txt")
    # An RDF file for `policykg import` (folder discovery ignores .ttl): a syntax error on line 10,000.
    _w(folder, "rdf/broken_at_10000.ttl", broken_turtle(10_000))
    m["rdf/broken_at_10000.ttl"] = {"outcome": "ignored", "import_problem": "line 10000"}
    (folder / "manifest.json").write_text(json.dumps(m, indent=1, sort_keys=True), encoding="utf-8")
    # The manifest is not a document: give it a name discovery ignores.
    (folder / "manifest.json").rename(folder / ".manifest.json")
    return m


# -- synthetic articles ------------------------------------------------------------------------------
_ACTORS = ["OpenAI", "Anthropic", "Google", "Microsoft", "Meta", "the European Commission", "Nvidia",
           "Mistral AI", "the UK government", "the White House", "DeepSeek", "Baidu"]
_PEOPLE = ["Marta Kowalczyk", "Antoine Delacroix", "Ines Moreau", "Lena Vogt", "Tomas Reyes",
           "Priya Natarajan", "Kenji Watanabe", "Amara Okafor"]
_MODELS = ["Aurora-3", "Nimbus-2", "Helix-7", "Quartz-4", "Orion-5"]
_POLICIES = ["the EU AI Act", "the AI Safety Bill", "the export controls", "the Digital Services Act"]
_SENTENCES = [
    "{a} released {m} on {d}, the company said.",
    "\"{a} will not release {m} until the audit is done,\" said {p}, a spokesperson.",
    "{p} said {a} supports {pol}.",
    "{a} opposes {pol}, according to {p}.",
    "{a} denied that {m} was trained on private data.",
    "The regulator fined {a} {n} million euros on {d} over {m}.",
    "{a} and {b} signed an agreement on {d} to share safety research.",
    "{p}, the chief executive of {a}, told reporters that {pol} would slow innovation.",
    "{a} acquired a stake in {b} for {n} billion dollars.",
    "Critics said {m} was released without a risk assessment required by {pol}.",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "March 3, 2025", "Jan. 14, 2025"]


def article(i: int, *, seed: int = 7, version: int = 0, sentences: int = 14) -> str:
    """One synthetic news article, deterministic in (i, seed); ``version`` appends a paragraph."""
    rng = random.Random(f"{seed}-{i}")
    a, b = rng.sample(_ACTORS, 2)
    lines = [f"{a.replace('the ', '').title()} And {b.replace('the ', '').title()} Clash Over Model Rules {i}", ""]
    para = []
    for k in range(sentences):
        a, b = rng.sample(_ACTORS, 2)
        s = rng.choice(_SENTENCES).format(a=a, b=b, p=rng.choice(_PEOPLE), m=rng.choice(_MODELS),
                                         pol=rng.choice(_POLICIES), d=rng.choice(_DAYS), n=rng.randint(2, 900))
        para.append(s[0].upper() + s[1:])
        if k % 4 == 3:
            lines.append(" ".join(para))
            lines.append("")
            para = []
    if para:
        lines.append(" ".join(para))
    for v in range(version):
        lines += ["", f"Update {v + 1}: {rng.choice(_ACTORS).replace('the ', 'The ', 1)} said on "
                      f"{rng.choice(_DAYS)} that it would review {rng.choice(_MODELS)}."]
    return "\n".join(lines) + "\n"


def make_articles(folder: str | os.PathLike, n: int, *, seed: int = 7, version: int = 0) -> list[Path]:
    """Write ``n`` synthetic articles ``article_000.txt``... into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = folder / f"article_{i:03d}.txt"
        p.write_text(article(i, seed=seed, version=version), encoding="utf-8")
        out.append(p)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--small", action="store_true", help="Leave out the 50 MB and 5 MB-line files.")
    ap.add_argument("--articles", type=int, help="Write this many synthetic articles instead.")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--version", type=int, default=0)
    args = ap.parse_args(argv)
    if args.articles:
        make_articles(args.out, args.articles, seed=args.seed, version=args.version)
    else:
        manifest = make_nasty(args.out, big=not args.small)
        print(f"wrote {len(manifest)} nasty inputs to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
