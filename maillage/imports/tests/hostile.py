"""Hostile and broken files, generated in the tests."""

import io
import os
import struct
import zipfile

from . import documents

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">
<office:body><office:text><text:p>&xxe;</text:p></office:text></office:body>
</office:document-content>"""


def _replace_member(docx: bytes, name: str, content: bytes, *, compression=zipfile.ZIP_DEFLATED):
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = content if info.filename == name else source.read(info.filename)
            target.writestr(info.filename, data, compress_type=compression)
    return out.getvalue()


def entity_bomb_docx() -> bytes:
    return _replace_member(
        documents.to_docx("Bonjour"), "word/document.xml", BILLION_LAUGHS.encode()
    )


def external_entity_odt() -> bytes:
    return _replace_member(documents.to_odt("Bonjour"), "content.xml", EXTERNAL_ENTITY.encode())


def zip_bomb_docx(size: int = 300 * 1024 * 1024) -> bytes:
    """A docx whose document.xml inflates to `size` bytes (a few hundred kB compressed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        target.writestr("[Content_Types].xml", "<Types/>")
        with target.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return out.getvalue()


def lying_zip_bomb_docx() -> bytes:
    """A zip bomb whose headers claim the member is small (the reader must not trust them)."""
    data = bytearray(zip_bomb_docx(64 * 1024 * 1024))
    # Central directory entry of word/document.xml: set its uncompressed size to 1 kB.
    name = b"word/document.xml"
    central = data.rfind(b"PK\x01\x02" + b"", 0, data.rfind(name))
    if central != -1 and data[central + 24 : central + 28] != b"\xff\xff\xff\xff":
        struct.pack_into("<I", data, central + 24, 1024)
    return bytes(data)


def malformed_pdf() -> bytes:
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\n" + os.urandom(4000)


def looping_pdf() -> bytes:
    """A page tree whose /Kids points back at itself."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 1000000 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length 20 >>\nstream\nq 1 0 0 1 0 0 cm Q\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF".encode()
    return bytes(out)


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(out, format="PNG")
    return out.getvalue()
