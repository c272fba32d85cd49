//! Markdown-ish decks: `Q:`/`A:` blocks and `C:` cloze blocks, for notes a learner writes by
//! hand.
//!
//! ```text
//! # Classroom English            <- optional: starts a deck with this name
//! Phrases for the first lesson.  <- prose before a deck's first card: its description
//!
//! Q: How do you ask students
//!    to stand up?                <- continuation of the question
//! A: 起立 (kiritsu)
//! Tags: classroom greetings      <- optional, applies to the block's cards
//!
//! C: JET began in [1987] and is run by [CLAIR].
//! ```
//!
//! The rule, line by line:
//! - A line starting with `Q:`, `A:`, `C:` or `Tags:` (at the start of the line; markers in
//!   capitals, `tags:` in any case) starts that part of the current block.
//! - Any other non-blank line continues the part above it, joined with a newline. The
//!   indentation that all of a part's continuation lines share is dropped (it is the
//!   wrapping's); any beyond it (a nested list) is kept.
//! - A blank line, a heading or the end of the file ends the block. So an answer cannot hold a
//!   blank line: that keeps a forgotten `A:` from silently swallowing the next card.
//! - `# Name` (one `#`) starts a deck; cards before the first one go to the deck named by the
//!   caller. `##` and deeper headings are section labels and are ignored. Prose outside blocks
//!   is ignored, except before a deck's first card, where it becomes the deck's description.
//! - A block is `Q:` + `A:` (one card) or `C:` (one card per `[deletion]`: the front shows that
//!   deletion as `[...]` and the others as plain text; the back is the whole text). Write `\[`
//!   and `\]` for literal brackets in a cloze.
//!
//! Ids are derived from the text as in `csv.rs` ([`card_id_from_text`] of the question, or of
//! the cloze text as written); the *k*-th deletion of a cloze gets `-k` appended for *k* ≥ 2.
//! Every problem is reported with its line, all in one pass.

use super::csv::{
    IdLines, card_id_from_text, check_size, deck_id, deck_name_or_stem, decode_text, preview,
    split_tags,
};
use super::draft::{CardDraft, DeckDraft, LineError, MAX_ERRORS, stop_collecting, trim_field};

/// Parse a Markdown deck. Cards before any `# heading` go to a deck called `default_deck_name`,
/// or when that is blank, the stem of `file_name` (`interview.md` → `interview`).
pub fn parse(
    input: &[u8],
    file_name: &str,
    default_deck_name: &str,
) -> Result<Vec<DeckDraft>, Vec<LineError>> {
    check_size(input.len())?;
    let (text, mut errors) = decode_text(input);
    let default_name = deck_name_or_stem(default_deck_name, file_name).unwrap_or_default();
    let mut parser = Parser {
        decks: Vec::new(),
        seen: Vec::new(),
        errors: Vec::new(),
        block: None,
        current: 0,
    };
    parser.start_deck(&default_name, 0);

    for (index, raw) in text.lines().enumerate() {
        if errors.len() + parser.errors.len() >= MAX_ERRORS {
            break;
        }
        let line_no = index + 1;
        let line = raw.trim_end();
        if line.trim().is_empty() {
            parser.end_block();
            continue;
        }
        if let Some(heading) = line.strip_prefix('#') {
            parser.end_block();
            if let Some(name) = heading.strip_prefix(' ') {
                let name = name.trim().trim_end_matches('#').trim();
                if name.is_empty() {
                    parser
                        .errors
                        .push(LineError::new(line_no, "a `# ` heading needs a deck name"));
                } else {
                    parser.start_deck(name, line_no);
                }
            } else if !heading.starts_with('#') {
                parser.errors.push(LineError::new(
                    line_no,
                    "write a deck heading as `# Name` (with a space)",
                ));
            }
            continue;
        }
        if let Some((part, rest)) = marker(line) {
            parser.part(part, rest.trim(), line_no);
        } else if let Some(block) = parser.block.as_mut() {
            // Kept as written: `Text::joined` removes the indentation its lines share.
            block.continue_with(line);
        } else {
            parser.prose(line.trim());
        }
    }
    parser.end_block();

    if let Some(first) = parser.decks.first()
        && first.name.is_empty()
        && let Some(card) = first.cards.first()
    {
        parser.errors.push(LineError::new(
            card.line,
            "this card comes before any `# Deck name` heading and no deck name was given",
        ));
    }
    errors.append(&mut parser.errors);
    stop_collecting(&mut errors);
    let decks: Vec<DeckDraft> = parser
        .decks
        .into_iter()
        .filter(|d| !d.cards.is_empty())
        .collect();
    if errors.is_empty() && decks.is_empty() {
        errors.push(LineError::new(
            1,
            "no cards found; write blocks of `Q:` and `A:` lines, or `C:` with [deletions]",
        ));
    }
    if errors.is_empty() {
        Ok(decks)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Q,
    A,
    C,
    Tags,
}

fn marker(line: &str) -> Option<(Part, &str)> {
    if let Some(rest) = line.strip_prefix("Q:") {
        return Some((Part::Q, rest));
    }
    if let Some(rest) = line.strip_prefix("A:") {
        return Some((Part::A, rest));
    }
    if let Some(rest) = line.strip_prefix("C:") {
        return Some((Part::C, rest));
    }
    let head = line.get(..5)?;
    if head.eq_ignore_ascii_case("tags:") {
        return Some((Part::Tags, &line[5..]));
    }
    None
}

/// One text part of a block: where it started and its lines so far.
struct Text {
    line: usize,
    lines: Vec<String>,
}

impl Text {
    /// The part's text. Its continuation lines lose the indentation (spaces and tabs) they
    /// all share, which is the wrapping's (as under `Q: `), and keep any beyond it: a nested
    /// list or a code sample in an answer stays as it was laid out.
    fn joined(&self) -> String {
        // The leading blanks all continuation lines begin with, as written (as Python's
        // `textwrap.dedent`: four spaces and a tab share nothing).
        let indent =
            |line: &str| -> usize { line.len() - line.trim_start_matches([' ', '\t']).len() };
        let shared = self
            .lines
            .iter()
            .skip(1)
            .map(|l| &l[..indent(l)])
            .reduce(|a, b| {
                let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
                &a[..common]
            })
            .map_or(0, str::len);
        let mut text = String::new();
        for (i, line) in self.lines.iter().enumerate() {
            if i > 0 {
                text.push('\n');
                // Each continuation starts with at least `shared` bytes of ASCII blanks.
                text.push_str(
                    line.get(shared..)
                        .unwrap_or(line)
                        .trim_start_matches(is_wide_blank),
                );
            } else {
                text.push_str(line);
            }
        }
        trim_field(&text).to_string()
    }
}

/// Blanks other than spaces and tabs (an ideographic space) at the start of a continuation:
/// dropped as before, as no one lays out an answer with them.
fn is_wide_blank(c: char) -> bool {
    c.is_whitespace() && c != ' ' && c != '\t'
}

#[derive(Default)]
struct Block {
    start: usize,
    q: Option<Text>,
    a: Option<Text>,
    c: Option<Text>,
    tags: Option<Text>,
    last: Option<Part>,
}

impl Block {
    fn continue_with(&mut self, line: &str) {
        let target = match self.last {
            Some(Part::Q) => self.q.as_mut(),
            Some(Part::A) => self.a.as_mut(),
            Some(Part::C) => self.c.as_mut(),
            Some(Part::Tags) => self.tags.as_mut(),
            None => None,
        };
        if let Some(text) = target {
            text.lines.push(line.to_string());
        }
    }
}

struct Parser {
    decks: Vec<DeckDraft>,
    /// Ids used so far, per deck (same index as `decks`).
    seen: Vec<IdLines>,
    errors: Vec<LineError>,
    block: Option<Block>,
    /// Index in `decks` of the deck cards go to now.
    current: usize,
}

impl Parser {
    fn start_deck(&mut self, name: &str, line: usize) {
        let id = deck_id(name);
        // A repeated heading continues its deck rather than making a second one.
        if let Some(pos) = self.decks.iter().position(|d| d.id == id) {
            let existing = &self.decks[pos].name;
            if existing != name {
                self.errors.push(LineError::new(
                    line,
                    format!(
                        "deck \"{name}\" has the same id `{id}` as deck \"{existing}\"; rename one"
                    ),
                ));
            }
            self.current = pos;
            return;
        }
        self.decks.push(DeckDraft {
            id,
            name: name.to_string(),
            description: String::new(),
            cards: Vec::new(),
            prompts: Vec::new(),
        });
        self.seen.push(IdLines::default());
        self.current = self.decks.len() - 1;
    }

    fn prose(&mut self, line: &str) {
        if let Some(deck) = self.decks.get_mut(self.current)
            && deck.cards.is_empty()
        {
            if !deck.description.is_empty() {
                deck.description.push('\n');
            }
            deck.description.push_str(line);
        }
    }

    fn part(&mut self, part: Part, rest: &str, line: usize) {
        let block = self.block.get_or_insert_with(|| Block {
            start: line,
            ..Block::default()
        });
        let slot = match part {
            Part::Q => &mut block.q,
            Part::A => &mut block.a,
            Part::C => &mut block.c,
            Part::Tags => &mut block.tags,
        };
        if let Some(previous) = slot {
            let what = match part {
                Part::Q => {
                    "a second `Q:` before a blank line; end the previous card with an `A:` and a blank line"
                }
                Part::A => "a second `A:` in the same block; separate cards with a blank line",
                Part::C => "a second `C:` in the same block; separate cards with a blank line",
                Part::Tags => "a second `Tags:` line in the same block",
            };
            let first = previous.line;
            self.errors.push(LineError::new(
                line,
                format!("{what} (the first is on line {first})"),
            ));
            block.last = None;
            return;
        }
        *slot = Some(Text {
            line,
            lines: vec![rest.to_string()],
        });
        block.last = Some(part);
    }

    fn end_block(&mut self) {
        let Some(block) = self.block.take() else {
            return;
        };
        let tags = block
            .tags
            .as_ref()
            .map(|t| split_tags(&t.lines.join(" ")))
            .unwrap_or_default();
        let mut cards = Vec::new();
        match (&block.q, &block.a, &block.c) {
            (Some(q), Some(a), None) => {
                let front = q.joined();
                let back = a.joined();
                let mut ok = true;
                if front.is_empty() {
                    self.errors.push(LineError::new(q.line, "the question after `Q:` is empty"));
                    ok = false;
                }
                if back.is_empty() {
                    self.errors.push(LineError::new(a.line, "the answer after `A:` is empty"));
                    ok = false;
                }
                if a.line < q.line {
                    self.errors
                        .push(LineError::new(a.line, "`A:` comes before its `Q:`; put the question first"));
                    ok = false;
                }
                if ok {
                    let mut card = CardDraft::new(card_id_from_text(&front), front, back);
                    card.line = q.line;
                    cards.push(card);
                }
            }
            (None, None, Some(c)) => {
                let source = c.joined();
                match cloze_cards(&source) {
                    Ok(made) if made.is_empty() => self.errors.push(LineError::new(c.line,
                        "this cloze has no [deletions]; put square brackets around the words to hide",
                    )),
                    Ok(made) => {
                        let base = card_id_from_text(&source);
                        for (k, (front, back)) in made.into_iter().enumerate() {
                            let id = if k == 0 {
                                base.clone()
                            } else {
                                format!("{base}-{}", k + 1)
                            };
                            let mut card = CardDraft::new(id, front, back);
                            card.line = c.line;
                            cards.push(card);
                        }
                    }
                    Err(message) => self.errors.push(LineError::new(c.line, message)),
                }
            }
            (Some(q), None, None) => self.errors.push(LineError::new(q.line,
                "this `Q:` has no `A:`; add an `A:` line right after the question (no blank line between)",
            )),
            (None, Some(a), None) => self.errors.push(LineError::new(a.line,
                "this `A:` has no `Q:` before it; put the question on the line above (no blank line between)",
            )),
            (None, None, None) => self.errors.push(LineError::new(block.start,
                "`Tags:` outside a card; put it right after a card's last line",
            )),
            _ => {
                let line = block.c.as_ref().map_or(block.start, |c| c.line);
                self.errors.push(LineError::new(line,
                    "a block has both `C:` and `Q:`/`A:`; separate cards with a blank line",
                ));
            }
        }
        let Some(deck) = self.decks.get_mut(self.current) else {
            return;
        };
        let Some(seen) = self.seen.get_mut(self.current) else {
            return;
        };
        for mut card in cards {
            if let Err(first) = seen.insert(&card.id, card.line) {
                self.errors.push(LineError::new(card.line,
                    format!(
                        "\"{}\" is already a card on line {first}; ids come from the question, so questions must be unique in a deck",
                        preview(&card.front)
                    ),
                ));
                continue;
            }
            card.tags = tags.clone();
            deck.cards.push(card);
        }
    }
}

/// Cards from a `[bracketed]` cloze: (front, back) per deletion, in order. Errors for nested,
/// unbalanced or empty brackets.
fn cloze_cards(source: &str) -> Result<Vec<(String, String)>, String> {
    enum Piece {
        Text(String),
        Deletion(String),
    }
    let mut pieces: Vec<Piece> = Vec::new();
    let mut current = String::new();
    let mut open = false;
    let mut chars = source.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' if matches!(chars.peek(), Some('[' | ']')) => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            '[' if open => return Err("a `[` inside a deletion; deletions cannot nest (write `\\[` for a literal bracket)".to_string()),
            '[' => {
                pieces.push(Piece::Text(std::mem::take(&mut current)));
                open = true;
            }
            ']' if !open => return Err("a `]` without its `[` (write `\\]` for a literal bracket)".to_string()),
            ']' => {
                if current.trim().is_empty() {
                    return Err("an empty deletion `[]`".to_string());
                }
                pieces.push(Piece::Deletion(std::mem::take(&mut current)));
                open = false;
            }
            other => current.push(other),
        }
    }
    if open {
        return Err("a `[` is never closed with `]`".to_string());
    }
    pieces.push(Piece::Text(current));
    let back: String = pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) | Piece::Deletion(t) => t.as_str(),
        })
        .collect();
    let deletions = pieces
        .iter()
        .filter(|p| matches!(p, Piece::Deletion(_)))
        .count();
    Ok((0..deletions)
        .map(|target| {
            let mut k = 0;
            let mut front = String::new();
            for piece in &pieces {
                match piece {
                    Piece::Text(t) => front.push_str(t),
                    Piece::Deletion(t) => {
                        front.push_str(if k == target { "[...]" } else { t });
                        k += 1;
                    }
                }
            }
            (front, back.clone())
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> Vec<DeckDraft> {
        parse(input.as_bytes(), "notes.md", "My notes").expect("should parse")
    }

    fn errs(input: &str) -> Vec<LineError> {
        parse(input.as_bytes(), "notes.md", "My notes").expect_err("should fail")
    }

    #[test]
    fn questions_answers_and_continuations() {
        let decks = ok(
            "Q: How do you ask students\n   to stand up?\nA: 起立\n(kiritsu)\nTags: classroom greetings\n\nQ: Sit down?\nA: 着席\n",
        );
        assert_eq!(decks.len(), 1);
        let deck = &decks[0];
        assert_eq!(deck.name, "My notes");
        assert_eq!(deck.id, "my-notes");
        assert_eq!(deck.cards.len(), 2);
        assert_eq!(deck.cards[0].front, "How do you ask students\nto stand up?");
        assert_eq!(deck.cards[0].back, "起立\n(kiritsu)");
        assert_eq!(deck.cards[0].tags, vec!["classroom", "greetings"]);
        assert_eq!(deck.cards[0].line, 1);
        assert_eq!(deck.cards[1].line, 7);
        assert!(deck.cards[1].tags.is_empty());
        // Same rule as CSV: the id follows the question's words, not its line breaks.
        assert_eq!(
            deck.cards[0].id,
            card_id_from_text("How do you ask students to stand up?")
        );
    }

    /// Continuation lines lose only the indentation they share: a nested list or a code
    /// sample keeps its layout; a wide space at a line's start is dropped as before.
    #[test]
    fn continuations_keep_their_layout_beyond_the_shared_indent() {
        let decks = ok(
            "Q: Three things to bring:\n   - indoor shoes\n     (uwabaki)\n   - a name card\nA: Say:\n\tHajimemashite.\n\t\tYoroshiku.\n\nQ: Wide\n\u{3000}space\nA: x\n    - four spaces\n\t- tab\n",
        );
        let cards = &decks[0].cards;
        assert_eq!(
            cards[0].front,
            "Three things to bring:\n- indoor shoes\n  (uwabaki)\n- a name card"
        );
        assert_eq!(cards[0].back, "Say:\nHajimemashite.\n\tYoroshiku.");
        assert_eq!(cards[1].front, "Wide\nspace");
        // Spaces and a tab share no indentation: nothing is taken from either.
        assert_eq!(cards[1].back, "x\n    - four spaces\n\t- tab");
    }

    #[test]
    fn headings_make_decks_and_prose_describes_them() {
        let decks = ok(
            "Q: Before any heading\nA: default deck\n\n# Classroom English\nPhrases for the first lesson.\n\n## Greetings\nQ: Good morning\nA: おはようございます\n\nSome later prose is ignored.\n# Interview\nC: JET began in [1987].\n\n# Classroom English\nQ: Goodbye\nA: さようなら\n",
        );
        let names: Vec<&str> = decks.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, vec!["My notes", "Classroom English", "Interview"]);
        let classroom = &decks[1];
        assert_eq!(classroom.id, "classroom-english");
        assert_eq!(classroom.description, "Phrases for the first lesson.");
        assert_eq!(classroom.cards.len(), 2);
        assert_eq!(classroom.cards[1].line, 16);
    }

    #[test]
    fn cloze_gives_one_card_per_deletion() {
        let decks = ok("C: JET began in [1987] and is run by [CLAIR] \\[not a deletion\\].\n");
        let cards = &decks[0].cards;
        assert_eq!(cards.len(), 2);
        assert_eq!(
            cards[0].front,
            "JET began in [...] and is run by CLAIR [not a deletion]."
        );
        assert_eq!(
            cards[1].front,
            "JET began in 1987 and is run by [...] [not a deletion]."
        );
        assert_eq!(
            cards[0].back,
            "JET began in 1987 and is run by CLAIR [not a deletion]."
        );
        assert_eq!(cards[1].id, format!("{}-2", cards[0].id));
        assert!(cards[0].id.starts_with("jet-began-in-1987-and-is-"));
    }

    #[test]
    fn mistakes_are_reported_at_their_lines() {
        let errors = errs(
            "Q: no answer\n\nA: no question\n\nC: no deletions\n\nC: [unclosed\n\nQ: one\nQ: two\nA: x\n\nQ: same\nA: 1\n\nQ: same\nA: 2\n\nTags: orphan\n\n#Bad heading\n\nQ: \nA: empty question\n",
        );
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![1, 3, 5, 7, 10, 16, 19, 21, 23], "{errors:#?}");
        assert!(errors[5].message.contains("line 13"));
        assert!(errors.iter().all(|e| !e.message.contains("notes.md")));
    }

    #[test]
    fn crlf_bom_and_bad_utf8() {
        let decks = parse(b"\xef\xbb\xbfQ: a\r\nA: b\r\n", "n.md", "D").expect("crlf");
        assert_eq!(decks[0].cards[0].front, "a");
        assert_eq!(decks[0].cards[0].back, "b");
        let errors = parse(b"Q: a\nA: b\n\nQ: \xc3\x28\nA: c\n", "n.md", "D").expect_err("utf8");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 4);
    }

    #[test]
    fn default_deck_comes_from_the_file_name() {
        let decks = parse(b"Q: a\nA: b\n", "notes/interview.md", "").expect("stem");
        assert_eq!(decks[0].name, "interview");
        let errors = parse(b"\n\nQ: a\nA: b\n", "", "").expect_err("no name");
        assert_eq!(errors[0].line, 3);
        assert!(parse(b"# Named\nQ: a\nA: b\n", "", "").is_ok());
    }

    #[test]
    fn empty_input_is_an_error() {
        assert_eq!(errs("").len(), 1);
        assert_eq!(errs("# Only a heading\nand prose\n").len(), 1);
    }
}
