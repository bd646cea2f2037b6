"""Long tables (rosters, lists) written straight to PDF: a lean, tagged table engine.

Why not WeasyPrint for these: its layout costs grow faster than the rows (one plain 20,000-row
table took 146 s and 1.9 GB here; chunks of it still ~7 s per 1,000 rows), while a roster is one
fixed-width table: measure each cell's words with the font's advance widths, wrap, stack rows,
start a page when the next row does not fit. That is what this module does, a few microseconds a
cell. WeasyPrint stays for the designed one-page documents (cards, receipts, letters).

Work is split the way the Celery tasks split it (documents.tasks): ``render_chunk`` lays out one
chunk of rows as a small PDF of its own (fonts referenced, not embedded) plus a description of
what is on each page; ``merge_chunks`` takes the chunks in index order and writes the document
with pypdf: one embedded subset of each font, "Page X of Y" on every page, the structure tree
(PDF/UA-style tagging: H1, P, Table > TR > TH/TD, the repeated header rows and running
header/footer marked as pagination artifacts), one bookmark per chunk, title, language.
"""

import io
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pydyf
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont
from pypdf import PdfReader

FONT_FILES = {
    "F1": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "F2": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
}
REGULAR, BOLD = "F1", "F2"
LANGUAGE = "en-US"

# Letter, the margins of documents/static/documents/print.css (points).
PAGE_WIDTH, PAGE_HEIGHT = 612.0, 792.0
LEFT, RIGHT = 43.2, 612.0 - 43.2
TOP, BOTTOM = 792.0 - 61.2, 57.6
PADDING_X, PADDING_Y = 4.0, 2.0
INK, MUTED, RULE, HEADER_FILL = "0.106 g", "0.27 g", "0.66 G", "0.94 g"
# Always in each font subset: the page numbers are stamped at merge time.
ALWAYS_GLYPHS = "Page of0123456789"


@dataclass(frozen=True)
class Column:
    label: str
    width: float  # share of the table's width; the shares of a table add up to 1


def columns(spec: str) -> tuple[Column, ...]:
    """``columns("Name 20 | Number 8 | Level 29")``: labels and their percent of the width."""
    found = []
    for part in spec.split("|"):
        label, share = part.strip().rsplit(" ", 1)
        found.append(Column(label, float(share) / 100))
    return tuple(found)


@dataclass(frozen=True)
class TableLayout:
    """How a registered document's rows become table rows (documents.registry.DocumentSpec).

    ``cells(row)`` turns one item of ``build_context(params)["rows"]`` into one or more table
    rows of strings (a PSA holder with three PSA types gives three). ``intro(context)`` is the
    paragraph under the title; ``empty`` is said when there are no rows."""

    columns: tuple[Column, ...] | Callable[[dict], tuple[Column, ...]]
    cells: Callable[[Any], Iterable[Sequence[str]]]
    intro: Callable[[dict], str] = lambda context: ""
    end_note: str = "End of the list."
    empty: str = "Nothing on file."
    font_size: float = 8.0

    def columns_for(self, context: dict) -> tuple[Column, ...]:
        """The columns, fixed or from the context (the allowable rates' columns are the year's
        rate categories)."""
        return self.columns(context) if callable(self.columns) else self.columns


@dataclass(frozen=True)
class Heading:
    """What every chunk of one document shares (the merge writes the same values)."""

    title: str
    generated_on: str
    summary: str = ""
    intro: str = ""
    office: str = "Office of Emergency Medical Services"


@dataclass
class Chunk:
    """One chunk laid out: a PDF whose fonts are referenced, not embedded (the merge embeds
    them once), and per page what its marked content is, in order: ``before`` (H1/P), a tagged
    header row or not (``th``; a repeated one is an artifact), ``rows`` body rows of one TD
    per column, ``after`` (P). ``glyphs``: the glyph ids each font needs."""

    content: bytes
    pages: list[dict]
    rows: int
    columns: int
    glyphs: dict[str, list[int]] = field(default_factory=dict)

    @property
    def layout(self) -> dict:
        """What is stored beside the PDF (JSON)."""
        return {
            "pages": self.pages,
            "rows": self.rows,
            "columns": self.columns,
            "glyphs": self.glyphs,
        }

    @classmethod
    def from_stored(cls, content: bytes, layout: dict) -> "Chunk":
        return cls(content=content, **layout)


class Font:
    def __init__(self, path: str):
        font = TTFont(path, lazy=True)
        self.path = path
        self.name = font["name"].getDebugName(6) or "Font"
        self.units = font["head"].unitsPerEm
        head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
        self.bbox = [head.xMin, head.yMin, head.xMax, head.yMax]
        self.ascent, self.descent = hhea.ascent, hhea.descent
        self.cap_height = getattr(os2, "sCapHeight", hhea.ascent)
        glyph_order = font.getGlyphOrder()
        gid_of = {name: gid for gid, name in enumerate(glyph_order)}
        metrics = font["hmtx"].metrics
        self.advance = [metrics[name][0] for name in glyph_order]
        self.gid = {chr(code): gid_of[name] for code, name in font.getBestCmap().items()}
        self.hex = {char: f"{gid:04x}" for char, gid in self.gid.items()}
        self.width = {char: self.advance[gid] / self.units for char, gid in self.gid.items()}
        self.notdef_width = self.advance[0] / self.units

    def measure(self, text: str, size: float) -> float:
        width, default = self.width, self.notdef_width
        return sum(width.get(char, default) for char in text) * size

    def encode(self, text: str) -> str:
        hexes = self.hex
        return "<" + "".join(hexes.get(char, "0000") for char in text) + ">"


@cache
def font(key: str) -> Font:
    return Font(FONT_FILES[key])


def wrap(text: str, width: float, face: Font, size: float) -> list[str]:
    """Greedy word wrap to ``width`` points; a word longer than a line is cut by characters."""
    text = " ".join(str(text).split())
    if face.measure(text, size) <= width:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if face.measure(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while face.measure(word, size) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and face.measure(word[:cut], size) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    lines.append(current)
    return lines


class _Page:
    def __init__(self):
        self.ops: list[str] = []
        self.mcid = 0
        self.layout: dict = {"before": [], "th": False, "rows": 0, "after": []}

    def text(self, lines, x, y, key, size, leading, tag=None, color=INK) -> None:
        face = font(key)
        if tag is None:
            self.ops.append("/Artifact <</Type /Pagination>> BDC")
        else:
            self.ops.append(f"/{tag} <</MCID {self.mcid}>> BDC")
            self.mcid += 1
        self.ops.append(f"BT {color} /{key} {size:g} Tf {x:.2f} {y:.2f} Td")
        for number, line in enumerate(lines):
            if number:
                self.ops.append(f"0 {-leading:.2f} Td")
            self.ops.append(f"{face.encode(line)} Tj")
        self.ops.append("ET EMC")

    def artifact(self, drawing: str) -> None:
        self.ops.append(f"/Artifact BDC {drawing} EMC")


def render_chunk(
    layout: TableLayout,
    columns: Sequence[Column],
    heading: Heading,
    rows: Iterable[Sequence[str]],
    *,
    first: bool,
    last: bool,
) -> Chunk:
    """Lay out one chunk of table rows (already turned into strings) as pages."""
    size = layout.font_size
    leading = size * 1.25
    table_width = RIGHT - LEFT
    shares = sum(column.width for column in columns)
    widths = [column.width / shares * table_width for column in columns]
    lefts = [LEFT + sum(widths[:i]) for i in range(len(widths))]
    regular, bold = font(REGULAR), font(BOLD)
    header_lines = [
        wrap(column.label, width - 2 * PADDING_X, bold, size)
        for column, width in zip(columns, widths, strict=True)
    ]
    header_height = max(map(len, header_lines)) * leading + 2 * PADDING_Y
    pages: list[_Page] = []
    used = {
        REGULAR: set(ALWAYS_GLYPHS),
        BOLD: set(ALWAYS_GLYPHS).union(*(c.label for c in columns)),
    }
    state: dict = {"y": TOP, "table": False}

    def paragraph(text, key, text_size, tag, color=INK, gap=4.0) -> None:
        lines = wrap(text, table_width, font(key), text_size)
        height = len(lines) * text_size * 1.25
        if state["y"] - height < BOTTOM:
            new_page(with_header=False)
        page = pages[-1]
        page.text(lines, LEFT, state["y"] - text_size, key, text_size, text_size * 1.25, tag, color)
        page.layout["after" if state["table"] else "before"].append(tag)
        used[key].update(text)
        state["y"] -= height + gap

    def table_header(tagged: bool) -> None:
        page, y = pages[-1], state["y"]
        page.artifact(
            f"{HEADER_FILL} {LEFT:.2f} {y - header_height:.2f} {table_width:.2f} {header_height:.2f} re f"
        )
        for lines, x in zip(header_lines, lefts, strict=True):
            page.text(
                lines,
                x + PADDING_X,
                y - PADDING_Y - size,
                BOLD,
                size,
                leading,
                "TH" if tagged else None,
            )
        page.artifact(
            f"0 G 1 w {LEFT:.2f} {y - header_height:.2f} m {RIGHT:.2f} {y - header_height:.2f} l S"
        )
        page.layout["th"] = tagged
        state["y"] = y - header_height
        state["table"] = True

    def new_page(*, with_header: bool) -> None:
        page = _Page()
        pages.append(page)
        page.text([heading.title], LEFT, TOP + 14, BOLD, 9, 11)
        page.text(
            [f"{heading.office} · Generated {heading.generated_on}"],
            LEFT,
            BOTTOM - 16,
            REGULAR,
            7.5,
            9,
            color=MUTED,
        )
        state["y"] = TOP
        if with_header:
            table_header(tagged=False)

    new_page(with_header=False)
    if first:
        paragraph(heading.title, BOLD, 16, "H1", gap=6)
        for text in (heading.summary, heading.intro):
            if text:
                paragraph(text, REGULAR, 9, "P", color=MUTED if text is heading.summary else INK)
    table_header(tagged=first)
    count = 0
    for cells in rows:
        count += 1
        texts = [str(cell) if cell is not None else "" for cell in cells]
        lines = [
            wrap(text, width - 2 * PADDING_X, regular, size)
            for text, width in zip(texts, widths, strict=True)
        ]
        height = max(map(len, lines)) * leading + 2 * PADDING_Y
        if state["y"] - height < BOTTOM:
            new_page(with_header=True)
        page, y = pages[-1], state["y"]
        for cell_lines, x in zip(lines, lefts, strict=True):
            page.text(cell_lines, x + PADDING_X, y - PADDING_Y - size, REGULAR, size, leading, "TD")
        page.artifact(
            f"{RULE} 0.5 w {LEFT:.2f} {y - height:.2f} m {RIGHT:.2f} {y - height:.2f} l S"
        )
        page.layout["rows"] += 1
        for text in texts:
            used[REGULAR].update(text)
        state["y"] = y - height
    if first and not count:
        paragraph(layout.empty, REGULAR, 9, "P")
    if last:
        state["y"] -= 6
        paragraph(layout.end_note, REGULAR, 9, "P", color=MUTED)
    used[BOLD].update(heading.title)
    used[REGULAR].update(f"{heading.office} · Generated {heading.generated_on}")
    glyphs = {
        key: sorted({font(key).gid.get(char, 0) for char in chars}) for key, chars in used.items()
    }
    return Chunk(
        content=_chunk_pdf(pages),
        pages=[page.layout for page in pages],
        rows=count,
        columns=len(columns),
        glyphs=glyphs,
    )


def _chunk_pdf(pages: list[_Page]) -> bytes:
    """The chunk's pages as a PDF (pydyf); fonts are named, the merge supplies them."""
    document = pydyf.PDF()
    fonts = pydyf.Dictionary(
        {
            key: pydyf.Dictionary(
                {
                    "Type": "/Font",
                    "Subtype": "/Type0",
                    "BaseFont": f"/{key}",
                    "Encoding": "/Identity-H",
                }
            )
            for key in FONT_FILES
        }
    )
    for page in pages:
        stream = pydyf.Stream(page.ops, compress=True)
        document.add_object(stream)
        pdf_page = pydyf.Dictionary(
            {
                "Type": "/Page",
                "Parent": document.pages.reference,
                "MediaBox": pydyf.Array([0, 0, PAGE_WIDTH, PAGE_HEIGHT]),
                "Contents": stream.reference,
                "Resources": pydyf.Dictionary({"Font": fonts}),
            }
        )
        document.add_page(pdf_page)
    output = io.BytesIO()
    document.write(output, compress=True)
    return output.getvalue()


# The merge ------------------------------------------------------------------------------------


def pdf_text(text: str) -> str:
    """A PDF text string: UTF-16BE with its byte-order mark, in hex (any character, no escaping)."""
    return "<feff" + text.encode("utf-16-be").hex() + ">"


class _Writer:
    """The merged file, written by hand: the struct tree alone is ~7 objects per row (140,000 for
    the 20,000-row roster), which general PDF libraries serialise at tens of microseconds each
    (pypdf 17 s, pydyf 20 s with its level-9 object streams). Here each object is one formatted
    string; the small objects go into object streams of 200, deflated at level 6, with a
    cross-reference stream (PDF 1.5+). Streams, the catalog and the page tree stay plain
    objects: a reader (pypdf checks every stored PDF, core.files) finds the pages without
    unpacking the structure tree's object streams."""

    PER_OBJECT_STREAM = 200

    def __init__(self):
        self.objects: list[bytes | None] = [None]  # object 0 is the free list head
        self.plain: set[int] = set()  # written as they are, not inside an object stream

    def reserve(self) -> int:
        self.objects.append(None)
        return len(self.objects) - 1

    def put(self, number: int, body: str, *, plain: bool = False) -> int:
        self.objects[number] = body.encode("latin-1")
        if plain:
            self.plain.add(number)
        return number

    def add(self, body: str, *, plain: bool = False) -> int:
        return self.put(self.reserve(), body, plain=plain)

    def stream(
        self, data: bytes, entries: str = "", *, deflated: bool = False, compress: bool = True
    ) -> int:
        if compress and not deflated:
            data, deflated = zlib.compress(data, 6), True
        flate = "/Filter /FlateDecode " if deflated else ""
        number = self.reserve()
        self.objects[number] = b"<<%s%s/Length %d>>\nstream\n%s\nendstream" % (
            flate.encode(),
            entries.encode("latin-1"),
            len(data),
            data,
        )
        self.plain.add(number)
        return number

    def write(self, *, root: int, info: int) -> bytes:
        output = io.BytesIO()
        output.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        # xref entries: (type, field2, field3); type 1 = at an offset, 2 = inside an object stream
        entries: list[tuple[int, int, int]] = [(0, 0, 65535)] * len(self.objects)
        compressible = [n for n in range(1, len(self.objects)) if n not in self.plain]
        for number in sorted(self.plain):
            entries[number] = (1, output.tell(), 0)
            output.write(b"%d 0 obj\n%s\nendobj\n" % (number, self.objects[number]))
        for start in range(0, len(compressible), self.PER_OBJECT_STREAM):
            group = compressible[start : start + self.PER_OBJECT_STREAM]
            offsets, bodies, position = [], [], 0
            for index, number in enumerate(group):
                body = self.objects[number] or b"null"
                offsets.append(b"%d %d" % (number, position))
                bodies.append(body)
                position += len(body) + 1
                entries[number] = (2, 0, index)  # field 2 set once the stream's number is known
            head = b" ".join(offsets) + b"\n"
            data = zlib.compress(head + b"\n".join(bodies) + b"\n", 6)
            stream_number = len(entries)
            entries.append((1, output.tell(), 0))
            for number in group:
                entries[number] = (2, stream_number, entries[number][2])
            output.write(
                b"%d 0 obj\n<</Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d>>\nstream\n%s\nendstream\nendobj\n"
                % (stream_number, len(group), len(head), len(data), data)
            )
        xref_number = len(entries)
        entries.append((1, output.tell(), 0))
        table = b"".join(
            bytes([kind]) + field2.to_bytes(4, "big") + field3.to_bytes(2, "big")
            for kind, field2, field3 in entries
        )
        data = zlib.compress(table, 6)
        output.write(
            b"%d 0 obj\n<</Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Info %d 0 R /Filter /FlateDecode /Length %d>>\nstream\n%s\nendstream\nendobj\n"
            % (xref_number, len(entries), root, info, len(data), data)
        )
        output.write(b"startxref\n%d\n%%%%EOF\n" % entries[xref_number][1])
        return output.getvalue()


def _embedded_font(writer: _Writer, key: str, gids: set[int]) -> int:
    """One Type0/CIDFontType2 font: a subset keeping the glyph ids (Identity CID to GID), widths
    of the glyphs used and a ToUnicode map so the text can be read back (and by screen readers)."""
    face = font(key)
    options = Options(retain_gids=True, notdef_outline=True, hinting=False, layout_features=[])
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "FFTM", "kern"]
    ttf = TTFont(face.path, lazy=True)
    subsetter = Subsetter(options)
    subsetter.populate(gids=sorted(gids | {0}))
    subsetter.subset(ttf)
    data = io.BytesIO()
    ttf.save(data)
    font_file = writer.stream(data.getvalue(), f"/Length1 {len(data.getvalue())} ")
    scale = 1000 / face.units
    name = "/OEMSAA+" + face.name.replace(" ", "")
    bbox = " ".join(str(round(value * scale)) for value in face.bbox)
    descriptor = writer.add(
        f"<</Type /FontDescriptor /FontName {name} /Flags 32 /FontBBox [{bbox}] /ItalicAngle 0 "
        f"/Ascent {round(face.ascent * scale)} /Descent {round(face.descent * scale)} "
        f"/CapHeight {round(face.cap_height * scale)} /StemV 80 /FontFile2 {font_file} 0 R>>"
    )
    widths = " ".join(f"{gid} [{round(face.advance[gid] * scale)}]" for gid in sorted(gids))
    cid_font = writer.add(
        f"<</Type /Font /Subtype /CIDFontType2 /BaseFont {name} "
        "/CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> "
        f"/FontDescriptor {descriptor} 0 R /W [{widths}] /CIDToGIDMap /Identity>>"
    )
    char_of = {gid: char for char, gid in face.gid.items() if gid in gids}
    pairs = [
        f"<{gid:04x}> <{ord(char):04x}>"
        for gid, char in sorted(char_of.items())
        if ord(char) < 0x10000
    ]
    blocks = "\n".join(
        f"{len(pairs[i : i + 100])} beginbfchar\n" + "\n".join(pairs[i : i + 100]) + "\nendbfchar"
        for i in range(0, len(pairs), 100)
    )
    cmap = writer.stream(
        (
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            f"{blocks}\nendcmap CMapName currentdict /CMap defineresource pop end end"
        ).encode()
    )
    return writer.add(
        f"<</Type /Font /Subtype /Type0 /BaseFont {name} /Encoding /Identity-H "
        f"/DescendantFonts [{cid_font} 0 R] /ToUnicode {cmap} 0 R>>"
    )


def _page_number(page_number: int, page_total: int) -> bytes:
    face, size = font(REGULAR), 7.5
    text = f"Page {page_number} of {page_total}"
    x = RIGHT - face.measure(text, size)
    return (
        f"/Artifact <</Type /Pagination /Subtype /Footer>> BDC BT {MUTED} /{REGULAR} {size} Tf "
        f"{x:.2f} {BOTTOM - 16:.2f} Td {face.encode(text)} Tj ET EMC"
    ).encode()


@dataclass(frozen=True)
class Merged:
    content: bytes
    page_count: int


class _StructureTree:
    """The tagged structure of the merged document: Document > H1, P, Table > TR > TH/TD, P;
    each marked element points at its page and marked-content id, the parent tree back at it."""

    TH_SCOPE = "/A <</O /Table /Scope /Column>> "

    def __init__(self, writer: _Writer):
        self.writer = writer
        self.root = writer.reserve()
        self.body = writer.reserve()
        self.table = writer.reserve()
        self.before: list[int] = []
        self.rows: list[int] = []
        self.after: list[int] = []
        self.parent_tree: list[str] = []
        self.page_marks: list[int] = []

    def marked(self, tag: str, parent: int, page: int, extra: str = "") -> int:
        number = self.writer.add(
            f"<</Type /StructElem /S /{tag} /P {parent} 0 R /Pg {page} 0 R {extra}/K {len(self.page_marks)}>>"
        )
        self.page_marks.append(number)
        return number

    def row(self, page: int, columns: int, cell: str) -> None:
        row = self.writer.reserve()
        extra = self.TH_SCOPE if cell == "TH" else ""
        kids = " ".join(f"{self.marked(cell, row, page, extra)} 0 R" for _ in range(columns))
        self.writer.put(row, f"<</Type /StructElem /S /TR /P {self.table} 0 R /K [{kids}]>>")
        self.rows.append(row)

    def page(self, page: int, index: int, layout: dict, columns: int) -> None:
        self.page_marks = []
        self.before += [self.marked(tag, self.body, page) for tag in layout["before"]]
        if layout["th"]:
            self.row(page, columns, "TH")
        for _ in range(layout["rows"]):
            self.row(page, columns, "TD")
        self.after += [self.marked(tag, self.body, page) for tag in layout["after"]]
        marks = " ".join(f"{number} 0 R" for number in self.page_marks)
        self.parent_tree.append(f"{index} {self.writer.add(f'[{marks}]')} 0 R")

    def finish(self, page_total: int) -> None:
        refs = lambda numbers: " ".join(f"{number} 0 R" for number in numbers)  # noqa: E731
        self.writer.put(
            self.table, f"<</Type /StructElem /S /Table /P {self.body} 0 R /K [{refs(self.rows)}]>>"
        )
        kids = refs([*self.before, self.table, *self.after])
        self.writer.put(
            self.body, f"<</Type /StructElem /S /Document /P {self.root} 0 R /K [{kids}]>>"
        )
        parent_tree = self.writer.add(f"<</Nums [{' '.join(self.parent_tree)}]>>")
        self.writer.put(
            self.root,
            f"<</Type /StructTreeRoot /K [{self.body} 0 R] /ParentTree {parent_tree} 0 R "
            f"/ParentTreeNextKey {page_total}>>",
        )


def merge_chunks(chunks: Sequence[Chunk], *, title: str, bookmarks: Sequence[str]) -> Merged:
    """One PDF of ``chunks`` in the order given (each exactly once: the caller passes them by
    index). pypdf reads each chunk's pages (their deflated content streams are copied as they
    are); the file gets one embedded subset of each font, "Page X of Y" on every page (a second
    content stream), the structure tree, one bookmark per chunk, title and language."""
    writer = _Writer()
    gids: dict[str, set[int]] = {key: set() for key in FONT_FILES}
    for chunk in chunks:
        for key, values in chunk.glyphs.items():
            gids[key].update(values)
    fonts = " ".join(f"/{key} {_embedded_font(writer, key, gids[key])} 0 R" for key in FONT_FILES)
    resources = writer.add(f"<</Font <<{fonts}>>>>", plain=True)
    pages_number = writer.reserve()
    page_total = sum(len(chunk.pages) for chunk in chunks)
    tree = _StructureTree(writer)
    page_numbers: list[int] = []
    outline: list[tuple[str, int]] = []
    index = 0
    for chunk, bookmark in zip(chunks, bookmarks, strict=True):
        reader = PdfReader(io.BytesIO(chunk.content))
        for number, (source, layout) in enumerate(zip(reader.pages, chunk.pages, strict=True)):
            content = writer.stream(source["/Contents"].get_object()._data, deflated=True)
            numbers = writer.stream(_page_number(index + 1, page_total))
            page = writer.reserve()
            writer.put(
                page,
                f"<</Type /Page /Parent {pages_number} 0 R /MediaBox [0 0 {PAGE_WIDTH:g} {PAGE_HEIGHT:g}] "
                f"/Contents [{content} 0 R {numbers} 0 R] /Resources {resources} 0 R "
                f"/StructParents {index} /Tabs /S>>",
                plain=True,
            )
            page_numbers.append(page)
            if number == 0:
                outline.append((bookmark, page))
            tree.page(page, index, layout, chunk.columns)
            index += 1
    tree.finish(page_total)
    kids = " ".join(f"{number} 0 R" for number in page_numbers)
    writer.put(pages_number, f"<</Type /Pages /Kids [{kids}] /Count {page_total}>>", plain=True)
    metadata = writer.stream(_xmp(title), "/Type /Metadata /Subtype /XML ", compress=False)
    root = writer.add(
        f"<</Type /Catalog /Pages {pages_number} 0 R /StructTreeRoot {tree.root} 0 R "
        f"/MarkInfo <</Marked true>> /Lang {pdf_text(LANGUAGE)} "
        f"/ViewerPreferences <</DisplayDocTitle true>> /PageMode /UseOutlines "
        f"/Metadata {metadata} 0 R /Outlines {_outline(writer, outline)} 0 R>>",
        plain=True,
    )
    info = writer.add(f"<</Title {pdf_text(title)} /Creator {pdf_text('OEMS Portal')}>>")
    return Merged(content=writer.write(root=root, info=info), page_count=page_total)


def _outline(writer: _Writer, items: list[tuple[str, int]]) -> int:
    outlines = writer.reserve()
    entries = [writer.reserve() for _ in items]
    for position, ((text, page), number) in enumerate(zip(items, entries, strict=True)):
        links = f"/Prev {entries[position - 1]} 0 R " if position else ""
        links += f"/Next {entries[position + 1]} 0 R " if position + 1 < len(entries) else ""
        writer.put(
            number,
            f"<</Title {pdf_text(text)} /Parent {outlines} 0 R {links}/Dest [{page} 0 R /Fit]>>",
        )
    ends = f"/First {entries[0]} 0 R /Last {entries[-1]} 0 R " if entries else ""
    return writer.put(outlines, f"<</Type /Outlines {ends}/Count {len(entries)}>>")


def _xmp(title: str) -> bytes:
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escaped}</rdf:li></rdf:Alt></dc:title>
<dc:language><rdf:Bag><rdf:li>{LANGUAGE}</rdf:li></rdf:Bag></dc:language>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""
    return packet.encode()
