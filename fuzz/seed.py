#!/usr/bin/env python3
"""Build the seed corpora in fuzz/seeds/<target>/ from the test fixtures and
the OctoAcme content (run from the repository root). `cargo fuzz cmin` then
minimises each into fuzz/corpus/<target>/ (see fuzz/README.md)."""
import hashlib, pathlib, re, shutil

root = pathlib.Path(".")
out = root / "fuzz" / "seeds"
shutil.rmtree(out, ignore_errors=True)
sources = sorted(p for d in ("tests/fixtures", "content") for p in (root / d).rglob("*") if p.is_file())

def put(target, data):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)

def mojibake(text, codec):
    # UTF-8 bytes read as `codec`, then saved as UTF-8 again.
    return text.encode("utf-8").decode(codec, errors="replace").encode("utf-8")

md = [p for p in sources if p.suffix == ".md"]
variants = sorted((root / "tests/fixtures/variants").glob("*.txt"))
yamls = [p for p in sources if p.suffix in (".yaml", ".yml")]

for p in md + variants:
    put("markdown", p.read_bytes())
for p in variants:
    raw = p.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    put("reconcile_text", raw)
    put("reconcile_text", mojibake(text, "cp1252"))
    put("reconcile_text", mojibake(text, "mac_roman"))
    put("reconcile_text", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    put("reconcile_text", text.encode("cp1252", errors="replace"))
    put("reconcile", raw)
for a, b in zip(variants, variants[1:] + variants[:1]):
    put("reconcile", a.read_bytes() + b"\x1e" + mojibake(b.read_text(), "cp1252"))
put("reconcile", b"\x1e".join(v.read_bytes() for v in variants[:3]))
links = set()
for p in md:
    links.update(re.findall(r"\]\(([^)\s]*)", p.read_text(errors="replace")))
for p in yamls:
    links.update(re.findall(r"\]\(([^)\s]*)", p.read_text(errors="replace")))
links.update(["../ops/run%20book.md#rollback", "guide/", "/README.md#home", "#install-1",
              "../../x.md", "setup.md?x=1#install", "img/logo.svg", "mailto:a@b", "..\\README.md",
              "checklists/deploy.yaml#before", "Setup.md", "%2e%2e/%2e%2e/etc/passwd"])
for link in sorted(links):
    put("links", (link + "\n").encode())
for p in md[:10]:
    put("links", b"guide/setup.md#install\n" + p.read_bytes())
for p in yamls:
    put("yaml", p.read_bytes())
