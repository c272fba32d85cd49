//! Anki field HTML to readable terminal text, and Anki cloze deletions.
//!
//! Anki stores every field as HTML (reference/anki-formats.md, "Content and scheduling
//! semantics"), but alt-prep shows cards in a terminal, so importers turn fields into plain text:
//!
//! - `<br>`, `<div>`, `<p>`, `<li>`, `<tr>`, `<hr>` and headings end a line; every other tag is
//!   dropped and its text kept. Whitespace runs collapse to one space, as a browser shows them,
//!   because Anki's own line breaks are tags, not newlines.
//! - `<style>`, `<script>` and `<head>` are dropped with their content (shared decks put CSS in
//!   templates), and so are comments.
//! - Entities are decoded: the common named ones and `&#NN;` / `&#xNN;`. `&nbsp;` becomes a
//!   plain space: a terminal has no use for the difference and it keeps ids and searches sane.
//!   Within a line it collapses like any space; at a line's start, where Anki's editor writes
//!   it for indentation, each one is kept.
//! - Media cannot be shown, so `<img …>` and `[sound:…]` are removed and counted, letting the
//!   importer tell the learner how much it left out.
//!
//! Cloze helpers work on the raw field (before stripping): `{{c1::answer}}`,
//! `{{c1::answer::hint}}`, several numbers `{{c1,2::…}}` and nesting, as Anki's `cloze.rs`
//! accepts. Card *n* hides every deletion numbered *n* as `[...]` (or `[hint]`) and reveals the
//! rest; the answer reveals everything.

/// Text made from HTML, with the number of media references that were dropped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stripped {
    pub text: String,
    /// `<img>` tags and `[sound:…]` references removed.
    pub media_removed: usize,
}

/// Readable text from Anki field HTML; see the module docs for the rules.
pub fn to_text(html: &str) -> String {
    strip(html).text
}

/// Like [`to_text`], also counting the media references removed.
pub fn strip(html: &str) -> Stripped {
    let mut out = TextBuilder::default();
    let mut media = 0usize;
    let mut rest = html;
    while let Some(pos) = rest.find(['<', '&', '[']) {
        out.push_text(&rest[..pos]);
        rest = &rest[pos..];
        if rest.starts_with('<') {
            match parse_tag(rest).filter(|tag| tag.is_plausible()) {
                Some(tag) => {
                    rest = &rest[tag.len..];
                    match tag.kind {
                        TagKind::Comment => {}
                        TagKind::Open | TagKind::Close | TagKind::SelfClosing => {
                            let name = tag.name.to_ascii_lowercase();
                            if tag.kind == TagKind::Open && is_raw_text_element(&name) {
                                rest = skip_raw_text(rest, &name);
                            } else if name == "img" {
                                media += 1;
                            } else if name == "br" || name == "hr" {
                                out.newline();
                            } else if name == "pre" {
                                out.block_break();
                                match tag.kind {
                                    TagKind::Open => out.open_pre(),
                                    TagKind::Close => out.close_pre(),
                                    _ => {}
                                }
                            } else if is_block(&name) {
                                out.block_break();
                            } else if name == "td" || name == "th" {
                                out.push_text(" ");
                            }
                        }
                    }
                }
                None => {
                    // A `<` that starts no tag (`a < b`) is text.
                    out.push_text("<");
                    rest = &rest[1..];
                }
            }
        } else if rest.starts_with('&') {
            let (decoded, used) = decode_entity(rest);
            out.push_literal(&decoded);
            rest = &rest[used..];
        } else if let Some(len) = sound_tag_len(rest) {
            media += 1;
            rest = &rest[len..];
        } else {
            out.push_text("[");
            rest = &rest[1..];
        }
    }
    out.push_text(rest);
    Stripped {
        text: out.finish(),
        media_removed: media,
    }
}

/// True when `text` looks like HTML: a tag or an entity. Used where a file does not say whether
/// its fields are HTML (Anki's `#html` header is optional; reference 4.1).
pub fn looks_like_html(text: &str) -> bool {
    let mut rest = text;
    while let Some(pos) = rest.find(['<', '&']) {
        rest = &rest[pos..];
        if rest.starts_with('<') {
            if let Some(tag) = parse_tag(rest)
                && tag.kind != TagKind::Comment
                && tag.is_plausible()
            {
                return true;
            }
        } else {
            let (_, used) = decode_entity(rest);
            if used > 1 {
                return true;
            }
        }
        rest = &rest[1..];
    }
    false
}

/// Whether an Anki field counts as empty for `{{#Field}}` sections and card generation:
/// only whitespace, `<br>` and `<div>` tags (Anki's `field_is_empty`). An image alone is
/// content, so this is not the same as "strips to nothing".
pub fn field_is_empty(html: &str) -> bool {
    let mut rest = html;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return true;
        }
        if rest.starts_with('<')
            && let Some(tag) = parse_tag(rest)
            && tag.kind != TagKind::Comment
            && matches!(tag.name.to_ascii_lowercase().as_str(), "br" | "div")
        {
            rest = &rest[tag.len..];
            continue;
        }
        return false;
    }
}

// ---------------------------------------------------------------------------- text builder

/// Collects text with HTML whitespace rules: runs of whitespace become one space, block
/// boundaries become line breaks, and at most one blank line survives in a row. Inside
/// `<pre>` (code in a card), spaces and line breaks are kept as written.
#[derive(Default)]
struct TextBuilder {
    /// Finished lines, and whether each was preformatted (its indentation is kept).
    lines: Vec<(String, bool)>,
    current: String,
    pending_space: bool,
    /// `<pre>` elements open around the current text.
    pre: usize,
    /// The current line holds preformatted text.
    current_pre: bool,
    /// Right after `<pre>`: a line break there is not content (as in a browser).
    pre_start: bool,
    /// The current line so far is `&nbsp;` indentation (kept, as `<pre>` text is).
    current_indent: bool,
}

impl TextBuilder {
    fn open_pre(&mut self) {
        self.pre += 1;
        self.pre_start = true;
    }

    fn close_pre(&mut self) {
        self.pre = self.pre.saturating_sub(1);
    }

    fn push_text(&mut self, text: &str) {
        if self.pre > 0 {
            for ch in text.chars() {
                match ch {
                    '\r' => {}
                    '\n' if self.pre_start => {}
                    '\n' => self.newline(),
                    _ => {
                        self.current_pre = true;
                        self.pending_space = false;
                        self.current.push(ch);
                    }
                }
                self.pre_start = false;
            }
            return;
        }
        for ch in text.chars() {
            if ch.is_ascii_whitespace() {
                self.pending_space = true;
            } else if ch == '\u{a0}' {
                // A no-break space written as the character itself: as `&nbsp;`.
                self.nbsp();
            } else {
                self.push_char(ch);
            }
        }
    }

    /// A no-break space. At a line's start it is how Anki's editor keeps indentation (it
    /// writes typed spaces as `&nbsp; &nbsp;`, and a browser collapses neither those nor the
    /// single spaces between them): one space each, kept. Within a line, a space like any
    /// other.
    fn nbsp(&mut self) {
        if self.current.is_empty() || self.current_indent {
            if self.pending_space && self.current_indent {
                self.current.push(' ');
            }
            self.current.push(' ');
            self.current_pre = true;
            self.current_indent = true;
            self.pending_space = false;
        } else {
            self.pending_space = true;
        }
    }

    /// Text from an entity: a decoded space (`&nbsp;`, `&#32;`) still collapses with its
    /// neighbours, but `&lt;` etc. are literal characters.
    fn push_literal(&mut self, text: &str) {
        if self.pre > 0 {
            // `&lt;`, `&amp;`, `&nbsp;` in code: the characters, spaces kept.
            let kept: String = text
                .chars()
                .map(|c| if c == '\u{a0}' { ' ' } else { c })
                .collect();
            self.pre_start = false;
            return self.push_text(&kept);
        }
        for ch in text.chars() {
            if ch == '\u{a0}' {
                self.nbsp();
            } else if ch == ' ' || ch == '\t' {
                self.pending_space = true;
            } else if ch == '\n' {
                self.newline();
            } else {
                self.push_char(ch);
            }
        }
    }

    fn push_char(&mut self, ch: char) {
        if self.pending_space && !self.current.is_empty() {
            self.current.push(' ');
        }
        self.pending_space = false;
        self.current_indent = false;
        self.current.push(ch);
    }

    fn newline(&mut self) {
        let line = std::mem::take(&mut self.current);
        self.lines.push((line, self.current_pre));
        self.current_pre = false;
        self.current_indent = false;
        self.pending_space = false;
    }

    /// End the current line if it has text; `<div>a</div><div>b</div>` is two lines, not four.
    fn block_break(&mut self) {
        if !self.current.is_empty() {
            self.newline();
        }
        self.pending_space = false;
    }

    fn finish(mut self) -> String {
        if !self.current.is_empty() {
            self.newline();
        }
        let mut out = String::new();
        let mut blank_run = 0usize;
        for (line, pre) in &self.lines {
            let line = if *pre { line.trim_end() } else { line.trim() };
            if line.is_empty() {
                blank_run += 1;
                continue;
            }
            if !out.is_empty() {
                out.push('\n');
                if blank_run > 1 {
                    out.push('\n');
                }
            }
            blank_run = 1;
            out.push_str(line);
        }
        // A side's ends are trimmed in every format; a multi-line one keeps its first
        // line's indentation (`&nbsp;` before a one-line side is not kept).
        let trimmed = super::draft::trim_field(&out);
        if trimmed.len() == out.len() {
            out
        } else {
            trimmed.to_string()
        }
    }
}

// ---------------------------------------------------------------------------- tags

/// Longest tag recognised, in bytes; see `parse_tag`.
const MAX_TAG_LEN: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagKind {
    Open,
    Close,
    SelfClosing,
    Comment,
}

struct Tag<'a> {
    name: &'a str,
    kind: TagKind,
    /// Bytes from `<` to after `>`.
    len: usize,
    /// Whether an attribute (`name=`) follows the tag name.
    has_attributes: bool,
}

impl Tag<'_> {
    /// A tag a browser would treat as markup, rather than text that merely looks like one:
    /// `Box<T>` and `HashMap<K, V>` in a field are code, not elements. Known HTML names,
    /// custom or namespaced elements (`<anki-mathjax>`, `<o:p>`) and tags with attributes count.
    fn is_plausible(&self) -> bool {
        self.kind == TagKind::Comment
            || self.has_attributes
            || self.name.contains(['-', ':'])
            || is_known_tag(&self.name.to_ascii_lowercase())
    }
}

/// Parse a tag at the start of `s` (which starts with `<`). `None` when it is not a tag: `<`
/// followed by something other than a letter, `/`, `!` or `?`, or no closing `>`.
fn parse_tag(s: &str) -> Option<Tag<'_>> {
    let body = s.get(1..)?;
    if let Some(after) = body.strip_prefix("!--") {
        let end = after.find("-->").map_or(s.len(), |e| 4 + e + 3);
        return Some(Tag {
            name: "",
            kind: TagKind::Comment,
            len: end,
            has_attributes: false,
        });
    }
    let first = body.chars().next()?;
    if first == '!' || first == '?' {
        let end = body.find('>')?;
        return Some(Tag {
            name: "",
            kind: TagKind::Comment,
            len: end + 2,
            has_attributes: false,
        });
    }
    let (closing, name_start) = if first == '/' { (true, 2) } else { (false, 1) };
    let after_slash = s.get(name_start..)?;
    if !after_slash.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name_len = after_slash
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
        .unwrap_or(after_slash.len());
    let name = &after_slash[..name_len];
    // Find the closing `>`, skipping quoted attribute values (`title="a > b"`). A tag longer
    // than MAX_TAG_LEN is taken for text, which bounds the work an unclosed quote can cause.
    let mut quote: Option<char> = None;
    for (i, c) in after_slash[name_len..].char_indices() {
        if i > MAX_TAG_LEN {
            return None;
        }
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '>' => {
                let end = name_start + name_len + i;
                let self_closing = s[..end].ends_with('/');
                let kind = if closing {
                    TagKind::Close
                } else if self_closing {
                    TagKind::SelfClosing
                } else {
                    TagKind::Open
                };
                let attrs = &s[name_start + name_len..end];
                let has_attributes =
                    attrs.starts_with(|c: char| c.is_ascii_whitespace()) && attrs.contains('=');
                return Some(Tag {
                    name,
                    kind,
                    len: end + 1,
                    has_attributes,
                });
            }
            None if c == '<' => return None,
            None => {}
        }
    }
    None
}

fn is_raw_text_element(name: &str) -> bool {
    matches!(name, "style" | "script" | "head" | "title" | "template")
}

/// Skip to after `</name>`, or to the end when it never closes.
fn skip_raw_text<'a>(s: &'a str, name: &str) -> &'a str {
    let mut from = 0;
    while let Some(pos) = s[from..].find("</").map(|p| p + from) {
        let after = &s.as_bytes()[pos + 2..];
        if after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            let tail = &s[pos..];
            return match tail.find('>') {
                Some(end) => &tail[end + 1..],
                None => "",
            };
        }
        from = pos + 2;
    }
    ""
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "div"
            | "p"
            | "li"
            | "ul"
            | "ol"
            | "tr"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "dl"
            | "dt"
            | "dd"
            | "center"
            | "figure"
            | "figcaption"
            | "address"
            | "aside"
            | "details"
            | "dialog"
            | "dir"
            | "fieldset"
            | "form"
            | "hgroup"
            | "legend"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "search"
            | "summary"
            | "xmp"
    )
}

fn is_known_tag(name: &str) -> bool {
    is_block(name)
        || matches!(
            name,
            "br" | "hr"
                | "img"
                | "b"
                | "i"
                | "u"
                | "s"
                | "a"
                | "em"
                | "strong"
                | "span"
                | "font"
                | "sub"
                | "sup"
                | "code"
                | "small"
                | "big"
                | "mark"
                | "ruby"
                | "rt"
                | "rp"
                | "td"
                | "th"
                | "tbody"
                | "thead"
                | "audio"
                | "video"
                | "source"
                | "style"
                | "script"
                | "head"
                | "title"
                | "template"
                | "html"
                | "body"
                | "meta"
                | "link"
                | "strike"
                | "del"
                | "ins"
                | "abbr"
                | "cite"
                | "q"
                | "kbd"
                | "samp"
                | "var"
                | "label"
                | "input"
                | "button"
                | "nav"
                | "main"
                | "aside"
                | "details"
                | "summary"
                | "caption"
                | "col"
                | "colgroup"
                | "tfoot"
                | "wbr"
                | "rb"
                | "tt"
                | "canvas"
                | "svg"
                | "math"
                | "object"
                | "embed"
                | "iframe"
                // The rest of HTML's elements, current and obsolete, that a browser (and so
                // Anki's card view) never shows as text.
                | "acronym"
                | "applet"
                | "area"
                | "base"
                | "basefont"
                | "bdi"
                | "bdo"
                | "blink"
                | "data"
                | "datalist"
                | "dfn"
                | "frame"
                | "frameset"
                | "image"
                | "keygen"
                | "map"
                | "marquee"
                | "menuitem"
                | "meter"
                | "nobr"
                | "noembed"
                | "noframes"
                | "noscript"
                | "optgroup"
                | "option"
                | "output"
                | "param"
                | "picture"
                | "plaintext"
                | "progress"
                | "rtc"
                | "select"
                | "slot"
                | "spacer"
                | "textarea"
                | "time"
                | "track"
        )
}

/// `[sound:name]`: Anki's audio reference. Returns its byte length when `s` starts with one.
fn sound_tag_len(s: &str) -> Option<usize> {
    let rest = s.strip_prefix("[sound:")?;
    let end = rest.find(']')?;
    if rest[..end].contains('\n') {
        return None;
    }
    Some("[sound:".len() + end + 1)
}

// ---------------------------------------------------------------------------- entities

/// Decode the entity at the start of `s` (which starts with `&`). Returns the text and the
/// bytes used; an unknown or malformed entity is a literal `&` (1 byte), as browsers do.
fn decode_entity(s: &str) -> (String, usize) {
    let literal = ("&".to_string(), 1);
    let Some(semi) = s.get(1..).and_then(|b| b.find(';')) else {
        return literal;
    };
    if semi == 0 || semi > 32 {
        return literal;
    }
    let name = &s[1..1 + semi];
    let used = semi + 2;
    if let Some(num) = name.strip_prefix('#') {
        let value = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()
        } else {
            num.parse::<u32>().ok()
        };
        return match value {
            Some(0) | None => literal,
            Some(v) => (char::from_u32(v).unwrap_or('\u{fffd}').to_string(), used),
        };
    }
    match named_entity(name) {
        Some(text) => (text.to_string(), used),
        None => literal,
    }
}

fn named_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        // Told apart from other spaces until placed: at a line's start it is indentation.
        "nbsp" => "\u{a0}",
        "ensp" | "emsp" | "thinsp" => " ",
        "amp" | "AMP" => "&",
        "lt" | "LT" => "<",
        "gt" | "GT" => ">",
        "quot" | "QUOT" => "\"",
        "apos" => "'",
        "hellip" => "…",
        "mdash" => "—",
        "ndash" => "–",
        "lsquo" => "‘",
        "rsquo" => "’",
        "ldquo" => "“",
        "rdquo" => "”",
        "laquo" => "«",
        "raquo" => "»",
        "bull" => "•",
        "middot" => "·",
        "copy" => "©",
        "reg" => "®",
        "trade" => "™",
        "deg" => "°",
        "plusmn" => "±",
        "times" => "×",
        "divide" => "÷",
        "minus" => "−",
        "yen" => "¥",
        "euro" => "€",
        "pound" => "£",
        "cent" => "¢",
        "sect" => "§",
        "para" => "¶",
        "larr" => "←",
        "rarr" => "→",
        "uarr" => "↑",
        "darr" => "↓",
        "harr" => "↔",
        "rArr" => "⇒",
        "lArr" => "⇐",
        "frac12" => "½",
        "frac14" => "¼",
        "frac34" => "¾",
        "sup2" => "²",
        "sup3" => "³",
        "iexcl" => "¡",
        "iquest" => "¿",
        "eacute" => "é",
        "egrave" => "è",
        "ecirc" => "ê",
        "aacute" => "á",
        "agrave" => "à",
        "acirc" => "â",
        "auml" => "ä",
        "ouml" => "ö",
        "uuml" => "ü",
        "Auml" => "Ä",
        "Ouml" => "Ö",
        "Uuml" => "Ü",
        "szlig" => "ß",
        "ccedil" => "ç",
        "ntilde" => "ñ",
        "oacute" => "ó",
        "iacute" => "í",
        "uacute" => "ú",
        "shy" | "zwj" | "zwnj" | "lrm" | "rlm" => "",
        _ => return None,
    })
}

// ---------------------------------------------------------------------------- cloze

/// One card made from a cloze field: the deletion number and its two sides, still HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClozeCard {
    pub number: u16,
    pub front: String,
    pub back: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ClozeNode {
    Text(String),
    Deletion {
        numbers: Vec<u16>,
        content: Vec<ClozeNode>,
        hint: Option<String>,
    },
}

/// Cloze numbers used in `text`, ascending, without repeats. `c0` is ignored (Anki numbers
/// from 1).
pub fn cloze_numbers(text: &str) -> Vec<u16> {
    let mut numbers = Vec::new();
    collect_numbers(&parse_cloze(text), &mut numbers);
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}

/// The question side of cloze card `number`: its deletions hidden as `[...]` or `[hint]`,
/// every other deletion revealed.
pub fn cloze_question(text: &str, number: u16) -> String {
    let mut out = String::new();
    render_cloze(&parse_cloze(text), Some(number), &mut out);
    out
}

/// The answer side: every deletion revealed.
pub fn cloze_answer(text: &str) -> String {
    let mut out = String::new();
    render_cloze(&parse_cloze(text), None, &mut out);
    out
}

/// One [`ClozeCard`] per cloze number, in number order; empty when `text` has no deletions.
pub fn cloze_cards(text: &str) -> Vec<ClozeCard> {
    let nodes = parse_cloze(text);
    let mut numbers = Vec::new();
    collect_numbers(&nodes, &mut numbers);
    numbers.sort_unstable();
    numbers.dedup();
    let mut back = String::new();
    render_cloze(&nodes, None, &mut back);
    numbers
        .into_iter()
        .map(|number| {
            let mut front = String::new();
            render_cloze(&nodes, Some(number), &mut front);
            ClozeCard {
                number,
                front,
                back: back.clone(),
            }
        })
        .collect()
}

fn collect_numbers(nodes: &[ClozeNode], out: &mut Vec<u16>) {
    for node in nodes {
        if let ClozeNode::Deletion {
            numbers, content, ..
        } = node
        {
            out.extend(numbers.iter().copied().filter(|n| *n > 0));
            collect_numbers(content, out);
        }
    }
}

fn render_cloze(nodes: &[ClozeNode], hide: Option<u16>, out: &mut String) {
    for node in nodes {
        match node {
            ClozeNode::Text(text) => out.push_str(text),
            ClozeNode::Deletion {
                numbers,
                content,
                hint,
            } => {
                if hide.is_some_and(|n| numbers.contains(&n)) {
                    match hint {
                        Some(hint) if !hint.trim().is_empty() => {
                            out.push('[');
                            out.push_str(hint);
                            out.push(']');
                        }
                        _ => out.push_str("[...]"),
                    }
                } else {
                    render_cloze(content, hide, out);
                }
            }
        }
    }
}

/// An open deletion while parsing: its numbers, content so far, and hint once `::` was seen.
struct OpenDeletion {
    numbers: Vec<u16>,
    /// The literal opening text, put back if the deletion never closes.
    opener: String,
    content: Vec<ClozeNode>,
    hint: Option<String>,
}

/// Parse `{{cN::…}}` deletions, nested or not. An opener without a closing `}}` is text, as in
/// Anki; `}}` outside a deletion is text too.
fn parse_cloze(text: &str) -> Vec<ClozeNode> {
    let mut root: Vec<ClozeNode> = Vec::new();
    let mut stack: Vec<OpenDeletion> = Vec::new();
    let mut cur = 0usize;
    let mut opens = Finder::new("{{c");
    let mut closes = Finder::new("}}");
    let mut seps = Finder::new("::");

    fn push_text(target: &mut Vec<ClozeNode>, hint: Option<&mut String>, text: &str) {
        if text.is_empty() {
            return;
        }
        if let Some(hint) = hint {
            hint.push_str(text);
            return;
        }
        if let Some(ClozeNode::Text(last)) = target.last_mut() {
            last.push_str(text);
        } else {
            target.push(ClozeNode::Text(text.to_string()));
        }
    }

    fn emit(root: &mut Vec<ClozeNode>, stack: &mut [OpenDeletion], text: &str) {
        match stack.last_mut() {
            Some(open) => push_text(&mut open.content, open.hint.as_mut(), text),
            None => push_text(root, None, text),
        }
    }

    while cur < text.len() {
        let next_open = opens.next(text, cur);
        let next_close = if stack.is_empty() {
            None
        } else {
            closes.next(text, cur)
        };
        let next_sep = match stack.last() {
            Some(open) if open.hint.is_none() => seps.next(text, cur),
            _ => None,
        };
        let candidates = [next_open, next_close, next_sep];
        let Some(pos) = candidates.iter().flatten().copied().min() else {
            emit(&mut root, &mut stack, &text[cur..]);
            break;
        };
        emit(&mut root, &mut stack, &text[cur..pos]);
        cur = pos;
        let rest = &text[cur..];
        if Some(pos) == next_open {
            match parse_opener(rest) {
                // Deeper nesting than any real note is text, keeping recursion shallow.
                Some((numbers, len)) if stack.len() < MAX_CLOZE_DEPTH => {
                    stack.push(OpenDeletion {
                        numbers,
                        opener: rest[..len].to_string(),
                        content: Vec::new(),
                        hint: None,
                    });
                    cur += len;
                }
                _ => {
                    emit(&mut root, &mut stack, "{{c");
                    cur += 3;
                }
            }
        } else if Some(pos) == next_close {
            cur += 2;
            if let Some(open) = stack.pop() {
                let node = ClozeNode::Deletion {
                    numbers: open.numbers,
                    content: open.content,
                    hint: open.hint,
                };
                match stack.last_mut() {
                    Some(parent) => {
                        if let Some(hint) = parent.hint.as_mut() {
                            // A deletion inside a hint is shown as its text.
                            let mut text = String::new();
                            render_cloze(std::slice::from_ref(&node), None, &mut text);
                            hint.push_str(&text);
                        } else {
                            parent.content.push(node);
                        }
                    }
                    None => root.push(node),
                }
            }
        } else {
            cur += 2;
            if let Some(open) = stack.last_mut() {
                open.hint = Some(String::new());
            }
        }
    }
    // Unclosed deletions are literal text again, innermost first.
    while let Some(open) = stack.pop() {
        let mut text = open.opener;
        render_cloze(&open.content, None, &mut text);
        if let Some(hint) = open.hint {
            text.push_str("::");
            text.push_str(&hint);
        }
        emit(&mut root, &mut stack, &text);
    }
    root
}

/// Deletions nested deeper than this are read as text: real notes nest two or three deep, and
/// a limit keeps the recursive rendering from overflowing the stack on a hostile file.
const MAX_CLOZE_DEPTH: usize = 16;

/// Finds a needle from increasing offsets, reusing the previous hit while it is still ahead,
/// so scanning a field stays linear however many markers it has.
struct Finder {
    needle: &'static str,
    cached: Option<Option<usize>>,
}

impl Finder {
    fn new(needle: &'static str) -> Self {
        Self {
            needle,
            cached: None,
        }
    }

    fn next(&mut self, text: &str, from: usize) -> Option<usize> {
        match self.cached {
            Some(None) => return None,
            Some(Some(pos)) if pos >= from => return Some(pos),
            _ => {}
        }
        let found = text
            .get(from..)
            .and_then(|rest| rest.find(self.needle))
            .map(|p| p + from);
        self.cached = Some(found);
        found
    }
}

/// `{{c1::`, `{{c12::` or `{{c1,2::` at the start of `s`: the numbers and the opener's length.
fn parse_opener(s: &str) -> Option<(Vec<u16>, usize)> {
    let body = s.strip_prefix("{{c")?;
    let end = body.find("::")?;
    let spec = &body[..end];
    if spec.is_empty() || spec.len() > 40 {
        return None;
    }
    let mut numbers = Vec::new();
    for part in spec.split(',') {
        let part = part.trim();
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        numbers.push(part.parse::<u16>().ok()?);
    }
    Some((numbers, 3 + end + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaking_tags_become_newlines() {
        assert_eq!(to_text("one<br>two<br/>three"), "one\ntwo\nthree");
        assert_eq!(to_text("<div>a</div><div>b</div>"), "a\nb");
        assert_eq!(
            to_text("<p>para one</p><p>para two</p>"),
            "para one\npara two"
        );
        assert_eq!(to_text("a<br><br>b"), "a\n\nb");
        assert_eq!(to_text("a<br><br><br><br>b"), "a\n\nb");
        assert_eq!(to_text("<ul><li>x</li><li>y</li></ul>"), "x\ny");
    }

    #[test]
    fn other_tags_are_dropped_and_whitespace_collapses() {
        assert_eq!(
            to_text("What does <b>ALT</b>\n  stand <i>for</i>?"),
            "What does ALT stand for?"
        );
        assert_eq!(to_text("<span style=\"a > b\">x</span>"), "x");
        assert_eq!(to_text("  <div>  padded  </div>  "), "padded");
        // Every element of HTML, not only the common ones: a browser shows none as text.
        assert_eq!(to_text("<textarea>raw x</textarea>"), "raw x");
        assert_eq!(
            to_text("<nobr>a</nobr> <dfn>b</dfn> <bdi>c</bdi> <time>d</time>"),
            "a b c d"
        );
        assert_eq!(to_text("<address>x</address>y"), "x\ny");
        // Text that merely looks like a tag stays.
        assert_eq!(
            to_text("Vec<T> and Option<Box<u8>>"),
            "Vec<T> and Option<Box<u8>>"
        );
    }

    /// Code in a card keeps its lines and indentation; text around it is still collapsed.
    #[test]
    fn preformatted_text_keeps_its_layout() {
        assert_eq!(
            to_text("intro   text<pre>\nline1\n    indented &lt;T&gt;\nline3</pre>after  it"),
            "intro text\nline1\n    indented <T>\nline3\nafter it"
        );
        assert_eq!(
            to_text("<pre><code>fn main() {\n    go();\n}</code></pre>"),
            "fn main() {\n    go();\n}"
        );
        // Unbalanced closing tags change nothing.
        assert_eq!(to_text("</pre>a   b"), "a b");
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            to_text("&lt;b&gt; &amp; &quot;q&quot; &#39;s&#39; &#x3042;&#12354;"),
            "<b> & \"q\" 's' ああ"
        );
        assert_eq!(
            to_text("Assistant&nbsp;Language&nbsp;&nbsp;Teacher"),
            "Assistant Language Teacher"
        );
        // Anki's editor writes four typed spaces as `&nbsp; &nbsp; `: four kept.
        assert_eq!(
            to_text("x<br>&nbsp; &nbsp; y<br>&nbsp; &nbsp;z<br>\u{a0}\u{a0}two"),
            "x\n    y\n   z\n  two"
        );
        // A one-line side's ends are trimmed, as in every format.
        assert_eq!(to_text("&nbsp; &nbsp; four"), "four");
        // At a line's start, `&nbsp;` is the indentation Anki's editor writes: kept.
        assert_eq!(
            to_text(
                "code<br>&nbsp;&nbsp;indented<br>&nbsp;&nbsp;&nbsp;&nbsp;more&nbsp;&nbsp;x<div>&nbsp;</div>end"
            ),
            "code\n  indented\n    more x\n\nend",
            "a line of only `&nbsp;` is a blank line, as Anki shows it"
        );
        assert_eq!(to_text("AT&T &unknown; & done"), "AT&T &unknown; & done");
        assert_eq!(to_text("&#0; &#xZZ; &#99999999;"), "&#0; &#xZZ; \u{fffd}");
    }

    #[test]
    fn a_lone_less_than_is_text() {
        assert_eq!(to_text("1 < 2 and 3 <4"), "1 < 2 and 3 <4");
        assert_eq!(to_text("Box<T>"), "Box<T>");
    }

    #[test]
    fn media_is_removed_and_counted() {
        let s = strip(
            "Listen [sound:konnichiwa.mp3] and look <img src=\"school.png\"> here<img src='b.jpg'/>",
        );
        assert_eq!(s.text, "Listen and look here");
        assert_eq!(s.media_removed, 3);
        assert_eq!(
            strip("[not sound] [sound:unclosed").text,
            "[not sound] [sound:unclosed"
        );
    }

    #[test]
    fn style_script_and_comments_vanish_with_their_content() {
        assert_eq!(
            to_text("<style>.card { color: red; }</style>Front<!-- note --><script>x()</script>"),
            "Front"
        );
        assert_eq!(to_text("<STYLE>p{}</STYLE>ok"), "ok");
        assert_eq!(to_text("<style>never closed"), "");
    }

    #[test]
    fn hostile_input_does_not_panic() {
        for s in [
            "<",
            "&",
            "&#",
            "&#x;",
            "<!--",
            "<a",
            "<a href=\"",
            "[sound:",
            "<\u{e9}>",
            "&\u{e9};",
            "<!",
            "</",
            "</>",
        ] {
            let _ = strip(s);
            let _ = cloze_cards(s);
            let _ = looks_like_html(s);
            let _ = field_is_empty(s);
        }
    }

    #[test]
    fn html_is_recognised() {
        assert!(looks_like_html("a<br>b"));
        assert!(looks_like_html("x &amp; y"));
        assert!(looks_like_html("<b>bold</b>"));
        assert!(!looks_like_html("Box<T> and a < b"));
        assert!(!looks_like_html("AT&T"));
    }

    #[test]
    fn empty_fields_as_anki_sees_them() {
        assert!(field_is_empty(""));
        assert!(field_is_empty(" <br> <div></div>\n"));
        assert!(!field_is_empty("<img src=a.png>"));
        assert!(!field_is_empty("x"));
    }

    #[test]
    fn cloze_with_hints_makes_one_card_per_number() {
        let text = "JET began in {{c1::1987}} and is run by {{c2::CLAIR::an organisation}}.";
        assert_eq!(cloze_numbers(text), vec![1, 2]);
        let cards = cloze_cards(text);
        assert_eq!(cards.len(), 2);
        assert_eq!(cards[0].front, "JET began in [...] and is run by CLAIR.");
        assert_eq!(
            cards[1].front,
            "JET began in 1987 and is run by [an organisation]."
        );
        assert_eq!(cards[0].back, "JET began in 1987 and is run by CLAIR.");
        assert_eq!(cards[1].back, cards[0].back);
    }

    #[test]
    fn cloze_repeated_multi_and_nested_numbers() {
        let text = "{{c1::a}} {{c2::b}} {{c1::c}} {{c1,3::d}}";
        assert_eq!(cloze_numbers(text), vec![1, 2, 3]);
        assert_eq!(cloze_question(text, 1), "[...] b [...] [...]");
        assert_eq!(cloze_question(text, 3), "a b c [...]");
        let nested = "{{c1::outer {{c2::inner::hint}} end}}";
        assert_eq!(cloze_numbers(nested), vec![1, 2]);
        assert_eq!(cloze_question(nested, 1), "[...]");
        assert_eq!(cloze_question(nested, 2), "outer [hint] end");
        assert_eq!(cloze_answer(nested), "outer inner end");
    }

    #[test]
    fn hostile_nesting_and_repetition_stay_cheap() {
        let deep = "{{c1::".repeat(100_000) + &"}}".repeat(100_000);
        let cards = cloze_cards(&deep);
        assert_eq!(cards.len(), 1);
        let many = "{{c1::a::b::c ".repeat(50_000);
        assert!(cloze_numbers(&many).is_empty());
        let styles = "<style>".repeat(50_000);
        assert_eq!(to_text(&styles), "");
        let quotes = "<a title=\"".repeat(20_000);
        let _ = strip(&quotes);
    }

    #[test]
    fn malformed_cloze_is_text() {
        assert_eq!(cloze_numbers("{{c1::never closed"), Vec::<u16>::new());
        assert_eq!(cloze_answer("{{c1::never closed"), "{{c1::never closed");
        assert_eq!(
            cloze_answer("{{c1::a::hint never closed"),
            "{{c1::a::hint never closed"
        );
        assert_eq!(cloze_answer("{{cx::no}} }} {{c"), "{{cx::no}} }} {{c");
        assert!(cloze_cards("{{c0::zero}}").is_empty());
        assert_eq!(cloze_answer("{{c1::}}"), "");
    }
}
