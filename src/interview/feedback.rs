//! Offline, explainable feedback on one typed interview answer.
//!
//! Everything here is a pure function of the answer text, the prompt and the time the learner
//! took (design.md rule 7: compute, then render). There is no language model and no network:
//! every verdict comes from a small, documented rule so that the learner can see *why* the tool
//! said what it said and argue with it. The rules are deliberately simple heuristics; where one
//! can be wrong, its doc comment says how.
//!
//! The pipeline is: split the answer into words (`tokenize`), then derive counts (length,
//! fillers, top words), cue-phrase checks (STAR, examples, key terms) and talking-point coverage
//! (by stem and a small synonym table), and finally turn those into short advice lines.

use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

/// What the analysis needs to know about the prompt. Borrowed, so a caller can build it from a
/// database row or a deck draft without cloning.
#[derive(Debug, Clone, Copy)]
pub struct PromptView<'a> {
    /// Deck category, e.g. `teaching` (decides whether a STAR story is expected).
    pub category: &'a str,
    /// The question as asked (phrases like "tell us about a time" also call for STAR).
    pub question: &'a str,
    /// What a strong answer covers; each is checked for coverage.
    pub talking_points: &'a [String],
    /// Length the panel allows, in seconds. 0 means "no limit".
    pub time_limit_secs: u32,
}

/// How the answer's spoken length compares with the time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LengthVerdict {
    /// Even spoken slowly (130 wpm) it fills less than 40% of the limit.
    TooShort,
    /// Between the two bounds.
    Good,
    /// Even spoken briskly (160 wpm) it runs past the limit.
    TooLong,
}

/// One filler or hedge and how often it was used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermCount {
    /// Display form, e.g. `um`, `you know`, `I think`.
    pub term: String,
    pub count: usize,
}

/// A word the learner leaned on, lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordCount {
    pub word: String,
    pub count: usize,
}

/// Whether one talking point was covered, and by which of its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PointCoverage {
    /// The talking point as written in the deck.
    pub point: String,
    pub covered: bool,
    /// The point's content words (or synonym phrases) that the answer matched, lower-cased.
    pub matched: Vec<String>,
    /// The point's content words the answer did not match, so the learner sees what to add.
    pub missing: Vec<String>,
}

/// Which parts of a STAR story (Situation, Task, Action, Result) the answer has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Star {
    pub situation: bool,
    pub task: bool,
    pub action: bool,
    pub result: bool,
    /// True when the prompt asks for a story (scenario categories, "tell us about a time…").
    /// The four flags are computed either way; notes only complain when this is true.
    pub applicable: bool,
}

/// Everything the analysis found. Serialises with these snake_case field names for `--json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Feedback {
    pub word_count: usize,
    /// Spoken duration at a brisk 160 words per minute, seconds, one decimal.
    pub speaking_secs_min: f64,
    /// Spoken duration at a slow 130 words per minute, seconds, one decimal.
    pub speaking_secs_max: f64,
    pub time_limit_secs: u32,
    pub length_verdict: LengthVerdict,
    /// Time the learner took, as passed in (non-finite or negative values become 0).
    pub elapsed_secs: f64,
    pub over_time: bool,
    /// Fillers (um, like, you know, sentence-initial so/well…), most used first.
    pub fillers: Vec<TermCount>,
    /// Hedges (I think, maybe, just, kind of…), most used first.
    pub hedges: Vec<TermCount>,
    /// Fillers plus hedges.
    pub filler_count: usize,
    /// `filler_count` per 100 words, one decimal (0 for an empty answer).
    pub fillers_per_100_words: f64,
    /// Up to 8 most used content words (used at least twice), count desc then alphabetical.
    pub top_words: Vec<WordCount>,
    pub talking_points: Vec<PointCoverage>,
    /// Covered points / all points; 1.0 when the prompt has none (nothing was missed).
    pub coverage: f64,
    pub star: Star,
    pub has_example: bool,
    /// ALT key terms used, canonical spelling, in order of first use, each once.
    pub key_terms: Vec<String>,
    /// Short advice lines for the CLI to print, most important first.
    pub notes: Vec<String>,
}

/// Analyse one typed answer against its prompt. Never panics, whatever the text; runs in time
/// linear in the answer's length.
pub fn analyse(answer: &str, prompt: &PromptView, elapsed_secs: f64) -> Feedback {
    let tables = &*TABLES;
    let tokens = tokenize(answer);
    let word_count = tokens.len();
    let limit = prompt.time_limit_secs;
    let elapsed_secs = if elapsed_secs.is_finite() && elapsed_secs > 0.0 {
        elapsed_secs
    } else {
        0.0
    };

    let speaking_secs_min = round1(word_count as f64 * 60.0 / FAST_WPM);
    let speaking_secs_max = round1(word_count as f64 * 60.0 / SLOW_WPM);
    let length_verdict = length_verdict(word_count, limit);
    let over_time = limit > 0 && elapsed_secs > f64::from(limit);

    let fill = scan_fillers(&tokens);
    let filler_count: usize = fill.fillers.iter().map(|t| t.count).sum::<usize>()
        + fill.hedges.iter().map(|t| t.count).sum::<usize>();
    let fillers_per_100_words = if word_count == 0 {
        0.0
    } else {
        round1(filler_count as f64 * 100.0 / word_count as f64)
    };
    let top_words = top_words(&tokens, &fill.consumed);

    let parts = parts_of(&tokens);
    let texts: Vec<&str> = parts.iter().map(|p| p.text.as_str()).collect();
    let stems: Vec<&str> = parts.iter().map(|p| p.stem.as_str()).collect();

    let cues = TABLES.cues.all(&texts);
    let has_example = cues.contains(&EXAMPLE_CUE) || has_example_beyond_cues(&texts);
    let star = star(&cues, prompt);
    let key_terms = tables
        .key_terms
        .greedy(&texts)
        .into_iter()
        .map(|(_, _, id)| id)
        .fold(Vec::new(), |mut acc: Vec<usize>, id| {
            if !acc.contains(&id) {
                acc.push(id);
            }
            acc
        })
        .into_iter()
        .filter_map(|id| KEY_TERMS.get(id).map(|(canon, _)| (*canon).to_string()))
        .collect();

    let mut answer_groups: FastSet<usize> = tables.synonyms.all(&stems).into_iter().collect();
    if has_example {
        answer_groups.insert(EXAMPLE_GROUP);
    }
    let answer_stems: FastSet<&str> = stems.iter().copied().collect();
    let talking_points: Vec<PointCoverage> = prompt
        .talking_points
        .iter()
        .map(|p| cover_point(p, &answer_stems, &answer_groups))
        .collect();
    let covered = talking_points.iter().filter(|p| p.covered).count();
    let coverage = if talking_points.is_empty() {
        1.0
    } else {
        covered as f64 / talking_points.len() as f64
    };

    let mut fb = Feedback {
        word_count,
        speaking_secs_min,
        speaking_secs_max,
        time_limit_secs: limit,
        length_verdict,
        elapsed_secs,
        over_time,
        fillers: fill.fillers,
        hedges: fill.hedges,
        filler_count,
        fillers_per_100_words,
        top_words,
        talking_points,
        coverage,
        star,
        has_example,
        key_terms,
        notes: Vec::new(),
    };
    fb.notes = notes(&fb, prompt.category);
    fb
}

// ---------------------------------------------------------------------------------------------
// Length

/// A brisk but clear interview pace.
const FAST_WPM: f64 = 160.0;
/// A slow, deliberate pace (nervous speakers often slow down or pause).
const SLOW_WPM: f64 = 130.0;

/// Decided in integers so the boundaries are exact: too short when `words / 130 min < 0.4 ×
/// limit`, i.e. `15 × words < 13 × limit`; too long when `words / 160 min > limit`, i.e.
/// `3 × words > 8 × limit`. A limit of 0 means none: only an empty answer is then too short.
fn length_verdict(words: usize, limit: u32) -> LengthVerdict {
    let w = words as u128;
    let l = u128::from(limit);
    if limit == 0 {
        return if words == 0 {
            LengthVerdict::TooShort
        } else {
            LengthVerdict::Good
        };
    }
    if 15 * w < 13 * l {
        LengthVerdict::TooShort
    } else if 3 * w > 8 * l {
        LengthVerdict::TooLong
    } else {
        LengthVerdict::Good
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

// ---------------------------------------------------------------------------------------------
// Tokens

/// One word of the answer, with what the punctuation before it tells us.
#[derive(Debug, Clone)]
struct Token {
    /// Lower-cased; curly apostrophes become `'` and Unicode hyphens `-`.
    norm: String,
    /// First word of the answer or after `.`, `!`, `?`, `…`, a newline or CJK full stops.
    sentence_start: bool,
    /// A comma, dash, colon, semicolon or bracket stands between this word and the previous.
    comma_before: bool,
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '\n' | '\r' | '。' | '！' | '？')
}

fn is_comma_like(c: char) -> bool {
    matches!(
        c,
        ',' | '、' | '，' | ';' | ':' | '—' | '–' | '-' | '(' | ')' | '\u{2010}' | '\u{2011}'
    )
}

/// Words are runs of letters or digits (any script) that may contain a single apostrophe or
/// hyphen *between* two such characters, so "don't" and "well-known" are one word while
/// "students'" loses its trailing apostrophe and "rock--roll" is two. Emoji, symbols and control
/// characters only separate words.
fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut iter = text.char_indices().peekable();
    let mut sentence_start = true;
    let mut comma_before = false;
    while let Some((start, c)) = iter.next() {
        if !c.is_alphanumeric() {
            if is_sentence_end(c) {
                sentence_start = true;
            }
            if is_comma_like(c) {
                comma_before = true;
            }
            continue;
        }
        let mut end = start + c.len_utf8();
        loop {
            match iter.peek() {
                Some(&(j, d)) if d.is_alphanumeric() => {
                    end = j + d.len_utf8();
                    iter.next();
                }
                Some(&(_, d)) if is_apostrophe(d) || is_hyphen(d) => {
                    let mut look = iter.clone();
                    look.next();
                    match look.peek() {
                        Some(&(k, e)) if e.is_alphanumeric() => {
                            end = k + e.len_utf8();
                            iter.next();
                            iter.next();
                        }
                        _ => break,
                    }
                }
                _ => break,
            }
        }
        let raw = text.get(start..end).unwrap_or_default();
        tokens.push(Token {
            norm: normalise(raw),
            sentence_start,
            comma_before,
        });
        sentence_start = false;
        comma_before = false;
    }
    tokens
}

fn normalise(raw: &str) -> String {
    if raw.is_ascii() {
        return raw.to_ascii_lowercase();
    }
    let mut s = String::with_capacity(raw.len());
    for c in raw.chars() {
        if is_apostrophe(c) {
            s.push('\'');
        } else if is_hyphen(c) {
            s.push('-');
        } else {
            s.extend(c.to_lowercase());
        }
    }
    s
}

/// A piece of a word for matching: hyphenated words are split ("co-teacher" → "co", "teacher")
/// so that "co-teacher" and "co teacher" match alike, and a possessive "'s" is dropped.
#[derive(Debug, Clone)]
struct Part {
    text: String,
    stem: String,
    /// Joined to the previous part by a hyphen inside one word (for display only).
    hyphen_before: bool,
}

fn parts_of(tokens: &[Token]) -> Vec<Part> {
    let mut out = Vec::with_capacity(tokens.len());
    // Answers repeat words a lot; stemming each distinct word once keeps a 1 MB answer fast.
    let mut cache: FastMap<String, String> = FastMap::default();
    for t in tokens {
        for (i, piece) in t.norm.split('-').enumerate() {
            if piece.is_empty() {
                continue;
            }
            let text = strip_possessive(piece).to_string();
            let stem = match cache.get(&text) {
                Some(s) => s.clone(),
                None => {
                    let s = stem(&text);
                    cache.insert(text.clone(), s.clone());
                    s
                }
            };
            out.push(Part {
                text,
                stem,
                hyphen_before: i > 0,
            });
        }
    }
    out
}

fn strip_possessive(w: &str) -> &str {
    match w.strip_suffix("'s") {
        Some(base) if !base.is_empty() => base,
        _ => w,
    }
}

fn parts_of_text(text: &str) -> Vec<Part> {
    parts_of(&tokenize(text))
}

/// FNV-1a: word maps hash short, user-typed keys where SipHash's flooding resistance buys
/// nothing, and it keeps a 1 MB answer quick even in unoptimised test builds.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;
type FastSet<K> = HashSet<K, BuildHasherDefault<Fnv>>;

// ---------------------------------------------------------------------------------------------
// Stemming

/// Irregular forms mapped to a base form, which is then stemmed like any other word. Only
/// words that come up in ALT answers; a full lemmatiser is not worth its weight here.
const IRREGULAR: &[(&str, &str)] = &[
    ("taught", "teach"),
    ("children", "child"),
    ("thought", "think"),
    ("learnt", "learn"),
    ("went", "go"),
    ("gone", "go"),
    ("goes", "go"),
    ("spoke", "speak"),
    ("spoken", "speak"),
    ("people", "person"),
    ("gave", "give"),
    ("given", "give"),
    ("took", "take"),
    ("taken", "take"),
    ("chose", "choose"),
    ("chosen", "choose"),
    ("brought", "bring"),
    ("understood", "understand"),
    ("felt", "feel"),
    ("met", "meet"),
    ("led", "lead"),
    ("ran", "run"),
    ("wrote", "write"),
    ("written", "write"),
    ("made", "make"),
    ("built", "build"),
    ("bought", "buy"),
    ("said", "say"),
    ("began", "begin"),
    ("begun", "begin"),
    ("knew", "know"),
    ("known", "know"),
    ("found", "find"),
    ("told", "tell"),
    ("kept", "keep"),
    ("left", "leave"),
    ("women", "woman"),
    ("men", "man"),
];

/// Suffixes stripped by [`stem`], with their replacements. Sorted longest first at start-up so
/// that "ability" wins over "ity" and "ies" over "es".
const SUFFIXES: &[(&str, &str)] = &[
    ("abilities", ""),
    ("ibilities", ""),
    ("ability", ""),
    ("ibility", ""),
    ("isations", ""),
    ("izations", ""),
    ("isation", ""),
    ("ization", ""),
    ("ational", ""),
    ("ations", ""),
    ("ation", ""),
    ("itions", ""),
    ("ition", ""),
    ("nesses", ""),
    ("ness", ""),
    ("ments", ""),
    ("ment", ""),
    ("ingly", ""),
    ("ings", ""),
    ("ing", ""),
    ("edly", ""),
    ("ied", "y"),
    ("ies", "y"),
    ("ers", ""),
    ("er", ""),
    ("ably", ""),
    ("ibly", ""),
    ("able", ""),
    ("ible", ""),
    ("ally", ""),
    ("fully", ""),
    ("ful", ""),
    ("less", ""),
    ("ously", ""),
    ("ous", ""),
    ("ives", ""),
    ("ive", ""),
    ("ities", ""),
    ("ity", ""),
    ("ised", ""),
    ("ized", ""),
    ("ising", ""),
    ("izing", ""),
    ("ises", ""),
    ("izes", ""),
    ("ise", ""),
    ("ize", ""),
    ("ates", ""),
    ("ated", ""),
    ("ating", ""),
    ("ate", ""),
    ("als", ""),
    ("al", ""),
    ("ly", ""),
    ("ed", ""),
    ("es", ""),
    ("s", ""),
    ("e", ""),
];

static SORTED_SUFFIXES: LazyLock<Vec<(&'static str, &'static str)>> = LazyLock::new(|| {
    let mut v = SUFFIXES.to_vec();
    v.sort_by_key(|s| std::cmp::Reverse(s.0.len()));
    v
});

/// A small suffix-stripping stemmer, so that "adapt", "adapting", "adaptable", "adaptability"
/// all become "adapt" and "students" becomes "student". Up to three rounds strip the longest
/// matching suffix while at least three characters, one of them a vowel, remain; "s" is not
/// stripped after s, u or i ("class", "focus", "analysis"). Then a final doubled consonant
/// (not l, s or z) is undoubled ("planning" → "plann" → "plan") when three characters remain.
///
/// It over-stems ("international" → "intern") and under-stems ("organizer" vs "organise"); that
/// is fine for coverage, where both sides of a comparison go through the same function.
fn stem(word: &str) -> String {
    let base = IRREGULAR
        .iter()
        .find(|(form, _)| *form == word)
        .map_or(word, |(_, base)| base);
    let mut w = base.to_string();
    for _ in 0..3 {
        let n = w.chars().count();
        let mut changed = false;
        for (suf, rep) in SORTED_SUFFIXES.iter() {
            let Some(head) = w.strip_suffix(suf) else {
                continue;
            };
            let head_chars = n - suf.len();
            if head_chars < 3 || !head.chars().any(is_vowelish) {
                continue;
            }
            if *suf == "s" && head.ends_with(['s', 'u', 'i']) {
                continue;
            }
            w = format!("{head}{rep}");
            changed = true;
            break;
        }
        if !changed {
            break;
        }
    }
    undouble(w)
}

fn is_vowelish(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y') || !c.is_ascii()
}

fn undouble(mut w: String) -> String {
    let mut rev = w.chars().rev();
    if let (Some(a), Some(b)) = (rev.next(), rev.next())
        && a == b
        && a.is_ascii_alphabetic()
        && !matches!(a, 'a' | 'e' | 'i' | 'o' | 'u' | 'l' | 's' | 'z')
        && w.chars().count() > 3
    {
        w.pop();
    }
    w
}

// ---------------------------------------------------------------------------------------------
// Phrase matching

/// A set of phrases (word sequences), each tagged with an id, looked up by first word.
#[derive(Debug, Default)]
struct PhraseSet {
    by_first: FastMap<String, Vec<(Vec<String>, usize)>>,
}

impl PhraseSet {
    /// `key` picks the form compared: part text (cue phrases, key terms) or stem (synonyms).
    fn new(phrases: &[(&str, usize)], key: fn(&Part) -> &str) -> Self {
        let mut set = PhraseSet::default();
        for (text, id) in phrases {
            let words: Vec<String> = parts_of_text(text)
                .iter()
                .map(|p| key(p).to_string())
                .collect();
            if let Some(first) = words.first() {
                set.by_first
                    .entry(first.clone())
                    .or_default()
                    .push((words, *id));
            }
        }
        for list in set.by_first.values_mut() {
            list.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
        }
        set
    }

    /// Longest phrase (and its id) starting at `i`, as (length, id).
    fn longest_at(&self, words: &[&str], i: usize) -> Option<(usize, usize)> {
        let first = words.get(i)?;
        let list = self.by_first.get(*first)?;
        list.iter().find_map(|(phrase, id)| {
            let end = i.checked_add(phrase.len())?;
            let window = words.get(i..end)?;
            (window.iter().zip(phrase).all(|(a, b)| *a == b)).then_some((phrase.len(), *id))
        })
    }

    /// Every id whose phrase occurs anywhere, overlaps allowed. Stops once all are found.
    fn all(&self, words: &[&str]) -> Vec<usize> {
        let mut found = Vec::new();
        let mut seen = FastSet::default();
        let ids: FastSet<usize> = self
            .by_first
            .values()
            .flatten()
            .map(|(_, id)| *id)
            .collect();
        for i in 0..words.len() {
            if seen.len() == ids.len() {
                break;
            }
            let Some(list) = words.get(i).and_then(|w| self.by_first.get(*w)) else {
                continue;
            };
            for (phrase, id) in list {
                if seen.contains(id) {
                    continue;
                }
                let hit = words
                    .get(i..i.saturating_add(phrase.len()))
                    .is_some_and(|win| win.iter().zip(phrase).all(|(a, b)| *a == b));
                if hit {
                    seen.insert(*id);
                    found.push(*id);
                }
            }
        }
        found
    }

    /// Left-to-right, longest-first, non-overlapping matches as (start, length, id), so that
    /// "junior high school" is one term rather than also "high school".
    fn greedy(&self, words: &[&str]) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            match self.longest_at(words, i) {
                Some((len, id)) => {
                    out.push((i, len, id));
                    i += len.max(1);
                }
                None => i += 1,
            }
        }
        out
    }
}

struct Tables {
    stop: FastSet<&'static str>,
    instruction: FastSet<&'static str>,
    key_terms: PhraseSet,
    synonyms: PhraseSet,
    /// STAR cues tagged 0..=3 (situation, task, action, result) and example cues tagged 4.
    cues: PhraseSet,
}

fn part_text(p: &Part) -> &str {
    &p.text
}

fn part_stem(p: &Part) -> &str {
    &p.stem
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let flat = |groups: &[(&'static str, &[&'static str])]| -> Vec<(&'static str, usize)> {
        groups
            .iter()
            .enumerate()
            .flat_map(|(id, (_, list))| list.iter().map(move |p| (*p, id)))
            .collect()
    };
    let cues: Vec<(&str, usize)> = [
        SITUATION_CUES,
        TASK_CUES,
        ACTION_CUES,
        RESULT_CUES,
        EXAMPLE_CUES,
    ]
    .iter()
    .enumerate()
    .flat_map(|(id, list)| list.iter().map(move |p| (*p, id)))
    .collect();
    Tables {
        stop: STOP_WORDS.iter().copied().collect(),
        instruction: INSTRUCTION_WORDS.iter().copied().collect(),
        key_terms: PhraseSet::new(&flat(KEY_TERMS), part_text),
        synonyms: PhraseSet::new(&flat(SYNONYMS), part_stem),
        cues: PhraseSet::new(&cues, part_text),
    }
});

// ---------------------------------------------------------------------------------------------
// Fillers and hedges

/// Stop words: left out of top words and of talking-point content words. The usual English
/// function words plus contractions and a few empty verbs ("get", "got").
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "aren't", "as", "at", "be", "because", "been", "before", "being", "below", "between",
    "both", "but", "by", "can", "can't", "cannot", "could", "couldn't", "did", "didn't", "do",
    "does", "doesn't", "doing", "don't", "down", "during", "each", "even", "ever", "every", "few",
    "for", "from", "further", "get", "gets", "got", "had", "hadn't", "has", "hasn't", "have",
    "haven't", "having", "he", "he'd", "he'll", "her", "here", "hers", "herself", "him", "himself",
    "his", "how", "i", "i'd", "i'll", "i'm", "i've", "if", "in", "into", "is", "isn't", "it", "its",
    "itself", "let", "lot", "lots", "me", "more", "most", "much", "must", "my", "myself", "no",
    "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours",
    "ourselves", "out", "over", "own", "quite", "rather", "same", "she", "she'd", "she'll",
    "should", "shouldn't", "since", "so", "some", "such", "than", "that", "the", "their", "theirs",
    "them", "themselves", "then", "there", "these", "they", "they'd", "they'll", "they're",
    "they've", "thing", "things", "this", "those", "though", "through", "to", "too", "under",
    "until", "up", "us", "very", "was", "wasn't", "we", "we'd", "we'll", "we're", "we've", "were",
    "weren't", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
    "won't", "would", "wouldn't", "yes", "yet", "you", "you'd", "you'll", "you're", "you've",
    "your", "yours", "yourself", "yourselves",
];

/// Words that tell the learner *how* to answer rather than *what* to say ("give a concrete
/// past example"); they are dropped from talking points before coverage is judged.
#[rustfmt::skip]
const INSTRUCTION_WORDS: &[&str] = &[
    "give", "mention", "explain", "describe", "show", "include", "concrete", "specific", "past",
    "real", "actual", "clear", "clearly", "brief", "briefly", "ideally", "etc", "e", "g",
];

/// Single words that are always fillers (hesitation sounds are matched after collapsing
/// repeated letters, so "ummm" is "um" and "hmmm" is "hmm").
const SIMPLE_FILLERS: &[&str] = &["basically", "actually", "literally"];
/// Single words that are always hedges.
const SIMPLE_HEDGES: &[&str] = &["maybe", "probably", "just", "really"];

/// Words before "like" that make it a verb or a comparison, not a filler: subjects ("I like"),
/// auxiliaries ("would like", "don't like"), perception verbs ("feel like", "looks like"),
/// adverbs ("just like", "really like") and "things/something like".
#[rustfmt::skip]
const LIKE_NOT_FILLER_AFTER: &[&str] = &[
    "i", "you", "we", "they", "he", "she", "who", "people", "kids", "children", "students", "would",
    "i'd", "you'd", "we'd", "they'd", "he'd", "she'd", "do", "does", "did", "don't", "doesn't",
    "didn't", "not", "to", "really", "also", "always", "still", "just", "feel", "feels", "felt",
    "feeling", "look", "looks", "looked", "looking", "sound", "sounds", "sounded", "seem", "seems",
    "seemed", "something", "anything", "nothing", "much", "more", "most", "lot", "things", "stuff",
    "exactly", "might", "may", "will", "genuinely",
];

/// Determiners before "kind of" / "sort of" that make it a noun ("a kind of game").
#[rustfmt::skip]
const KIND_OF_DETERMINERS: &[&str] = &[
    "a", "the", "this", "that", "what", "which", "some", "any", "every", "each", "one", "same",
    "different", "no", "another", "other", "these", "those", "all",
];

/// Words before "you know" that make it a real question or condition ("do you know", "if you
/// know").
const YOU_KNOW_NOT_FILLER_AFTER: &[&str] = &[
    "do", "did", "don't", "didn't", "if", "would", "as", "what", "could", "might",
];

fn hesitation(norm: &str) -> Option<&'static str> {
    if norm.len() > 12 || !norm.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let mut buf = [0u8; 12];
    let mut len: usize = 0;
    for b in norm.bytes() {
        let last = len.checked_sub(1).and_then(|i| buf.get(i)).copied();
        if last != Some(b)
            && let Some(slot) = buf.get_mut(len)
        {
            *slot = b;
            len += 1;
        }
    }
    match buf.get(..len).unwrap_or_default() {
        b"um" | b"uhm" => Some("um"),
        b"uh" => Some("uh"),
        b"er" => Some("er"),
        b"erm" => Some("erm"),
        b"ah" => Some("ah"),
        b"hm" => Some("hmm"),
        _ => None,
    }
}

struct FillerScan {
    fillers: Vec<TermCount>,
    hedges: Vec<TermCount>,
    /// Tokens that were part of a filler or hedge (left out of top words).
    consumed: Vec<bool>,
}

/// Find fillers and hedges. Multi-word terms match consecutive words not split by a sentence
/// break or comma, case-insensitively. The context rules, all documented on their tables:
/// - "like" is a filler unless the previous word makes it a verb or comparison
///   ([`LIKE_NOT_FILLER_AFTER`]) or "to" follows ("like to"); a comma right before it
///   (", like,") makes it a filler whatever came earlier. "games like bingo" is miscounted as a
///   filler: telling a preposition from a filler needs a parser.
/// - "so" and "well" count only when they open a sentence (possibly after other openers such
///   as "um, so, well").
/// - "kind of"/"sort of" not after a determiner; "you know" not in "do you know"/"if you know".
/// - "I think", "I guess", "maybe", "probably", "just", "really" always count as hedges.
fn scan_fillers(tokens: &[Token]) -> FillerScan {
    let mut fillers: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut hedges: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut consumed = vec![false; tokens.len()];
    let mut lead = false;
    let mut i = 0;
    while let Some(tok) = tokens.get(i) {
        let w = tok.norm.as_str();
        let prev = if tok.sentence_start {
            None
        } else {
            i.checked_sub(1)
                .and_then(|p| tokens.get(p))
                .map(|t| t.norm.as_str())
        };
        let next_tok = tokens
            .get(i + 1)
            .filter(|t| !t.sentence_start && !t.comma_before);
        let next = next_tok.map(|t| t.norm.as_str());
        let next_any = tokens.get(i + 1).map(|t| t.norm.as_str());
        let at_lead = tok.sentence_start || lead;

        let pair: Option<(&'static str, bool)> = match (w, next) {
            ("you", Some("know"))
                if !prev.is_some_and(|p| YOU_KNOW_NOT_FILLER_AFTER.contains(&p)) =>
            {
                Some(("you know", true))
            }
            ("i", Some("mean")) => Some(("I mean", true)),
            ("i", Some("guess")) => Some(("I guess", false)),
            ("i", Some("think")) => Some(("I think", false)),
            ("kind", Some("of")) if !prev.is_some_and(|p| KIND_OF_DETERMINERS.contains(&p)) => {
                Some(("kind of", false))
            }
            ("sort", Some("of")) if !prev.is_some_and(|p| KIND_OF_DETERMINERS.contains(&p)) => {
                Some(("sort of", false))
            }
            _ => None,
        };
        if let Some((term, is_filler)) = pair {
            let map = if is_filler { &mut fillers } else { &mut hedges };
            *map.entry(term).or_default() += 1;
            for c in consumed.iter_mut().skip(i).take(2) {
                *c = true;
            }
            lead = false;
            i += 2;
            continue;
        }

        let single: Option<(&'static str, bool)> = if let Some(h) = hesitation(w) {
            Some((h, true))
        } else if let Some(f) = SIMPLE_FILLERS.iter().find(|f| **f == w) {
            Some((f, true))
        } else if let Some(h) = SIMPLE_HEDGES.iter().find(|h| **h == w) {
            Some((h, false))
        } else if w == "kinda" {
            Some(("kind of", false))
        } else if w == "sorta" {
            Some(("sort of", false))
        } else if w == "like" {
            let verb_use = !tok.comma_before
                && (prev.is_some_and(|p| LIKE_NOT_FILLER_AFTER.contains(&p))
                    || (next_any == Some("to") && next.is_some()));
            (!verb_use).then_some(("like", true))
        } else if (w == "so" || w == "well") && at_lead {
            Some((if w == "so" { "so" } else { "well" }, true))
        } else {
            None
        };
        if let Some((term, is_filler)) = single {
            let map = if is_filler { &mut fillers } else { &mut hedges };
            *map.entry(term).or_default() += 1;
            if let Some(c) = consumed.get_mut(i) {
                *c = true;
            }
        }
        lead = at_lead
            && (hesitation(w).is_some()
                || matches!(w, "so" | "well" | "okay" | "ok" | "oh" | "right"));
        i += 1;
    }
    FillerScan {
        fillers: sorted_counts(fillers),
        hedges: sorted_counts(hedges),
        consumed,
    }
}

fn sorted_counts(map: BTreeMap<&'static str, usize>) -> Vec<TermCount> {
    let mut v: Vec<TermCount> = map
        .into_iter()
        .map(|(term, count)| TermCount {
            term: term.to_string(),
            count,
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.term.cmp(&b.term)));
    v
}

/// Every single word that can be a filler or hedge; these never appear in top words, even
/// when used as a verb ("I like kids"), because seeing "like ×4" there would read as a filler.
fn is_filler_word(w: &str) -> bool {
    hesitation(w).is_some()
        || SIMPLE_FILLERS.contains(&w)
        || SIMPLE_HEDGES.contains(&w)
        || matches!(w, "like" | "so" | "well" | "kinda" | "sorta")
}

// ---------------------------------------------------------------------------------------------
// Top words

/// Words used at least twice, minus stop words, fillers and words that were part of a filler
/// ("think" in "I think"), and minus pure numbers. Possessive "'s" is dropped so "school's"
/// counts as "school". Count desc, then alphabetical; at most 8.
fn top_words(tokens: &[Token], consumed: &[bool]) -> Vec<WordCount> {
    let stop = &TABLES.stop;
    let mut counts: FastMap<&str, usize> = FastMap::default();
    for (i, t) in tokens.iter().enumerate() {
        if consumed.get(i).copied().unwrap_or(false) {
            continue;
        }
        let w = t.norm.as_str();
        if stop.contains(w) {
            continue;
        }
        let w = strip_possessive(w);
        if stop.contains(w) || is_filler_word(w) || !w.chars().any(char::is_alphabetic) {
            continue;
        }
        *counts.entry(w).or_default() += 1;
    }
    let mut v: Vec<WordCount> = counts
        .into_iter()
        .filter(|(_, c)| *c >= 2)
        .map(|(w, count)| WordCount {
            word: w.to_string(),
            count,
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.word.cmp(&b.word)));
    v.truncate(8);
    v
}

// ---------------------------------------------------------------------------------------------
// Examples and STAR

/// Cues that the answer gives something concrete. Besides these, any digit counts (a year, a
/// class size, an age), and "when I/we" followed by a past-tense verb ("when I was", "when we
/// tried") — but not "when I get to Japan", which is a plan, not an example.
const EXAMPLE_CUES: &[&str] = &[
    "for example",
    "for instance",
    "such as",
    "once",
    "last year",
    "last summer",
    "last month",
    "last week",
    "last term",
    "last semester",
    "one time",
    "one day",
    "years ago",
    "at my",
    "in my previous",
    "in my last",
    "i remember",
];

/// Situation: setting the scene in the past.
const SITUATION_CUES: &[&str] = &[
    "when i was",
    "while i was",
    "at my",
    "once",
    "last year",
    "last summer",
    "last semester",
    "there was",
    "there were",
    "in my previous",
    "in my last",
    "years ago",
    "one day",
    "during my",
    "i used to",
    "i worked as",
    "i was working",
    "i was teaching",
    "i was volunteering",
];

/// Task: what had to be achieved or solved.
const TASK_CUES: &[&str] = &[
    "i had to",
    "we had to",
    "my job was",
    "my role was",
    "my task was",
    "i needed to",
    "we needed to",
    "i was asked to",
    "the goal",
    "my goal",
    "our goal",
    "responsible for",
    "in charge of",
    "i was supposed to",
    "the challenge was",
    "the problem was",
    "i wanted to",
];

/// Action: what the speaker did, in the first person.
const ACTION_CUES: &[&str] = &[
    "i decided",
    "so i",
    "i started",
    "i talked",
    "i organised",
    "i organized",
    "i asked",
    "i spoke",
    "i made",
    "i created",
    "i tried",
    "i suggested",
    "i set up",
    "i prepared",
    "i changed",
    "i planned",
    "i introduced",
    "i adapted",
    "i adjusted",
    "i explained",
    "i offered",
    "i reached out",
    "i helped",
    "i worked with",
    "i began",
    "we decided",
    "we agreed",
];

/// Result: what changed. "The students" alone is too common in ALT answers to mean anything,
/// so only "the students" followed by a change verb counts.
const RESULT_CUES: &[&str] = &[
    "as a result",
    "in the end",
    "afterwards",
    "afterward",
    "which meant",
    "ended up",
    "eventually",
    "by the end",
    "it worked",
    "that worked",
    "led to",
    "resulted in",
    "the outcome",
    "since then",
    "from then on",
    "learned",
    "learnt",
    "improved",
    "succeeded",
    "were able to",
    "was able to",
    "the students were",
    "the students became",
    "the students started",
    "the students began",
    "the students could",
];

/// Categories whose prompts are about past behaviour and so call for a STAR story.
const STAR_CATEGORIES: &[&str] = &[
    "teaching",
    "flexibility",
    "professionalism",
    "teamwork",
    "resilience",
    "curveball",
    "dispatch",
];

#[rustfmt::skip]
const PAST_VERBS: &[&str] = &[
    "was", "were", "had", "did", "taught", "went", "lived", "worked", "studied", "tried", "first",
    "started", "began", "got", "made", "saw", "met", "visited", "volunteered", "helped", "used",
    "arrived", "joined", "moved", "led", "ran", "felt", "found", "realised", "realized", "noticed",
    "came", "heard", "spent", "took", "gave", "told", "asked",
];

/// A past tense: a known irregular form or "-ed" (not "-eed": "need", "succeed").
fn looks_past(w: &str) -> bool {
    PAST_VERBS.contains(&w) || (w.len() > 3 && w.ends_with("ed") && !w.ends_with("eed"))
}

/// Tag of [`EXAMPLE_CUES`] in the combined cue set.
const EXAMPLE_CUE: usize = 4;

/// The example checks that are not plain cue phrases: a digit, or "when I/we" + past tense.
fn has_example_beyond_cues(words: &[&str]) -> bool {
    if words.iter().any(|w| w.bytes().any(|c| c.is_ascii_digit())) {
        return true;
    }
    words.windows(3).any(
        |w| matches!(w, [a, b, c] if *a == "when" && matches!(*b, "i" | "we") && looks_past(c)),
    )
}

/// `cues` are the tags found by the combined cue scan.
fn star(cues: &[usize], prompt: &PromptView) -> Star {
    let found = |k: usize| cues.contains(&k);
    let category = prompt.category.trim().to_lowercase();
    let q = parts_of_text(prompt.question);
    let q: Vec<&str> = q.iter().map(|p| p.text.as_str()).collect();
    let asks_story = q.windows(2).any(|w| w == ["a", "time"] || w == ["an", "example"])
        || q.windows(3).any(|w| {
            w == ["have", "you", "ever"] || w == ["a", "situation", "where"] || w == ["a", "situation", "when"]
        })
        || q.windows(4).any(|w| {
            matches!(w, [a, b, c, d] if *a == "tell" && matches!(*b, "us" | "me") && *c == "about" && *d != "yourself")
        });
    Star {
        situation: found(0),
        task: found(1),
        action: found(2),
        result: found(3),
        applicable: STAR_CATEGORIES.contains(&category.as_str()) || asks_story,
    }
}

// ---------------------------------------------------------------------------------------------
// Key terms

/// ALT key terms: canonical spelling, then the variants that count (matched on lower-cased
/// words with hyphens split, so "team-teaching" is "team teaching"). Matching is greedy and
/// longest first: "junior high school" is not also "high school".
#[rustfmt::skip]
const KEY_TERMS: &[(&str, &[&str])] = &[
    ("JTE", &[
        "jte", "jtes", "japanese teacher of english", "japanese teachers of english",
        "japanese english teacher", "japanese english teachers",
    ]),
    ("ALT", &["alt", "alts", "assistant language teacher", "assistant language teachers"]),
    ("team teaching", &["team teaching", "team teach", "team teaches", "team taught"]),
    ("co-teacher", &["co teacher", "co teachers", "coteacher", "coteachers"]),
    ("homeroom", &["homeroom", "home room", "hrt", "hrts"]),
    ("students", &["student", "students", "pupil", "pupils"]),
    ("cultural exchange", &[
        "cultural exchange", "cultural exchanges", "culture exchange", "intercultural exchange",
    ]),
    ("international exchange", &["international exchange", "grassroots exchange"]),
    ("internationalisation", &["internationalisation", "internationalization", "kokusaika"]),
    ("lesson plan", &["lesson plan", "lesson plans", "lesson planning"]),
    ("ESID", &["esid", "every situation is different"]),
    ("board of education", &["board of education", "boards of education", "boe", "boes"]),
    ("contracting organisation", &[
        "contracting organisation", "contracting organization", "contracting organisations",
        "contracting organizations",
    ]),
    ("staff room", &["staff room", "staffroom", "teachers room", "teacher room", "shokuinshitsu"]),
    ("enkai", &["enkai", "enkais", "bonenkai", "bōnenkai"]),
    ("omiyage", &["omiyage"]),
    ("flexibility", &["flexible", "flexibility", "flexibly"]),
    ("adapt", &[
        "adapt", "adapts", "adapted", "adapting", "adaptable", "adaptability", "adaptation",
    ]),
    ("grassroots", &["grassroots", "grass roots"]),
    ("elementary school", &[
        "elementary", "elementary school", "elementary schools", "primary school",
        "primary schools", "shogakko", "shougakkou",
    ]),
    ("junior high school", &[
        "junior high", "junior high school", "junior high schools", "middle school",
        "middle schools", "chugakko", "chuugakkou",
    ]),
    ("senior high school", &[
        "senior high", "senior high school", "high school", "high schools", "koukou",
    ]),
    ("classroom English", &["classroom english"]),
    ("JET Programme", &["jet", "jet programme", "jet program", "jets"]),
    ("MEXT", &["mext", "monbukagakusho"]),
    ("CLAIR", &["clair"]),
    ("self-introduction", &[
        "self introduction", "self introductions", "jikoshoukai", "jikoshokai",
    ]),
    ("warm-up", &["warm up", "warm ups", "warmup", "warmups"]),
    ("phonics", &["phonics"]),
    ("TPR", &["tpr", "total physical response"]),
    ("Course of Study", &["course of study"]),
    ("foreign language activities", &[
        "foreign language activities", "gaikokugo katsudo", "gaikokugo katsudou",
    ]),
    ("Eiken", &["eiken"]),
    ("school lunch", &["school lunch", "kyushoku", "kyuushoku"]),
    ("club activities", &["club activities", "club activity", "bukatsu"]),
    ("sports day", &["sports day", "undokai", "undoukai"]),
    ("culture festival", &["culture festival", "bunkasai"]),
    ("dispatch company", &[
        "dispatch company", "dispatch companies", "dispatch agency", "dispatch agencies", "haken",
    ]),
    ("TEFL", &["tefl"]),
    ("TESOL", &["tesol"]),
    ("CELTA", &["celta"]),
    ("genki", &["genki"]),
];

// ---------------------------------------------------------------------------------------------
// Talking-point coverage

/// Index of the "example" group in [`SYNONYMS`]: a point asking for an example is also matched
/// when the answer has a concrete example (cue phrases, a digit, "when I" + past tense), since
/// "Last year I…" *is* an example without saying so.
const EXAMPLE_GROUP: usize = 3;

/// Synonym groups for coverage, compared by stem. A point's word or phrase that belongs to a
/// group is matched by any member of the group in the answer. Kept to words with one clear
/// meaning in ALT interviews ("learner" is left out: it would stem to "learn").
#[rustfmt::skip]
const SYNONYMS: &[(&str, &[&str])] = &[
    ("jte", &[
        "jte", "jtes", "jtl", "japanese teacher", "japanese teacher of english",
        "japanese english teacher", "co-teacher", "coteacher", "partner teacher",
    ]),
    ("flexible", &[
        "flexible", "flexibility", "adapt", "adaptable", "adjust", "adaptation", "go with the flow",
        "open-minded", "esid", "every situation is different",
    ]),
    ("kids", &["kid", "child", "children", "student", "pupil"]),
    ("example", &["example", "instance", "for example", "for instance", "such as", "anecdote"]),
    ("culture", &["culture", "cultural", "intercultural", "cross-cultural"]),
    ("rural", &["rural", "countryside", "inaka", "village", "small town", "remote"]),
    ("communicate", &["communicate", "communication", "talk", "speak", "conversation", "discuss"]),
    ("lesson plan", &[
        "lesson plan", "lesson planning", "plan lesson", "plan the lesson", "prepare lesson",
        "lesson preparation",
    ]),
    ("enthusiasm", &[
        "enthusiasm", "enthusiastic", "energy", "energetic", "genki", "passion", "passionate",
    ]),
    ("help", &["help", "support", "assist"]),
    ("problem", &["problem", "challenge", "difficulty", "difficult", "issue", "struggle"]),
    ("learn", &["learn", "study"]),
    ("fun", &["fun", "enjoy", "enjoyable"]),
    ("motivate", &["motivate", "motivation", "encourage", "inspire", "engage"]),
    ("team", &[
        "team", "teamwork", "collaborate", "collaboration", "cooperate", "cooperation",
        "co-operate", "together",
    ]),
    ("colleague", &["colleague", "coworker", "co-worker", "staff", "fellow teacher"]),
    ("mistake", &["mistake", "error", "fail", "failure"]),
    ("shy", &["shy", "quiet", "reluctant", "nervous", "hesitant"]),
    ("respect", &["respect", "respectful", "polite", "politeness", "courtesy"]),
    ("elementary", &["elementary", "primary school", "shogakko", "shougakkou"]),
    ("junior high", &["junior high", "middle school", "chugakko", "chuugakkou"]),
    ("boe", &["board of education", "boe", "contracting organisation", "contracting organization"]),
    ("homesick", &[
        "homesick", "homesickness", "lonely", "loneliness", "isolation", "isolated", "miss home",
    ]),
    ("stress", &["stress", "pressure"]),
    ("exchange", &["exchange", "share"]),
    ("goal", &["goal", "aim", "objective", "purpose"]),
    ("feedback", &["feedback", "advice", "suggestion"]),
];

#[derive(Debug, PartialEq, Eq, Hash, Clone)]
enum UnitKey {
    Group(usize),
    Stem(String),
}

/// Judge one talking point. Its units are synonym-group phrases (longest first) and its other
/// content words (not stop or instruction words; if that leaves nothing, every word counts).
/// A unit is matched when the answer has the same stem, or any member of the unit's group.
/// Covered when at least half the units, rounded up, are matched (at least one).
fn cover_point(
    point: &str,
    answer_stems: &FastSet<&str>,
    answer_groups: &FastSet<usize>,
) -> PointCoverage {
    let tables = &*TABLES;
    let parts = parts_of_text(point);
    let stems: Vec<&str> = parts.iter().map(|p| p.stem.as_str()).collect();
    let display = |from: usize, len: usize| -> String {
        let mut s = String::new();
        for (k, p) in parts.iter().skip(from).take(len).enumerate() {
            if k > 0 {
                s.push(if p.hyphen_before { '-' } else { ' ' });
            }
            s.push_str(&p.text);
        }
        s
    };
    let build = |strict: bool| -> Vec<(UnitKey, String)> {
        let mut units: Vec<(UnitKey, String)> = Vec::new();
        let mut i = 0;
        while let Some(part) = parts.get(i) {
            let (key, len) = match tables.synonyms.longest_at(&stems, i) {
                Some((len, group)) => (UnitKey::Group(group), len),
                None => {
                    let skip = strict
                        && (tables.stop.contains(part.text.as_str())
                            || tables.instruction.contains(part.text.as_str()));
                    if skip {
                        i += 1;
                        continue;
                    }
                    (UnitKey::Stem(part.stem.clone()), 1)
                }
            };
            if !units.iter().any(|(k, _)| *k == key) {
                units.push((key, display(i, len)));
            }
            i += len.max(1);
        }
        units
    };
    let mut units = build(true);
    if units.is_empty() {
        units = build(false);
    }
    let (mut matched, mut missing) = (Vec::new(), Vec::new());
    for (key, text) in units.iter() {
        let hit = match key {
            UnitKey::Group(g) => answer_groups.contains(g),
            UnitKey::Stem(s) => answer_stems.contains(s.as_str()),
        };
        if hit {
            matched.push(text.clone());
        } else {
            missing.push(text.clone());
        }
    }
    let needed = units.len().div_ceil(2).max(1);
    PointCoverage {
        point: point.to_string(),
        covered: matched.len() >= needed,
        matched,
        missing,
    }
}

// ---------------------------------------------------------------------------------------------
// Notes

/// Categories where naming the role's vocabulary (JTE, team teaching…) shows knowledge.
const KEY_TERM_CATEGORIES: &[&str] = &["teaching", "teamwork", "knowledge", "demo-lesson"];

/// Turn the findings into advice lines, most important first: length and time, coverage and
/// missed points, story structure, example, fillers, repetition, vocabulary. Each line names
/// the number behind it so the learner can check it.
fn notes(fb: &Feedback, category: &str) -> Vec<String> {
    let mut out = Vec::new();
    let limit = fb.time_limit_secs;
    if fb.word_count == 0 {
        out.push("No answer to analyse: type what you would say out loud.".to_string());
        return out;
    }
    let missed: Vec<&PointCoverage> = fb.talking_points.iter().filter(|p| !p.covered).collect();
    let mut example_said = false;
    match fb.length_verdict {
        LengthVerdict::TooShort if limit > 0 => {
            let tail = if !fb.has_example {
                example_said = true;
                "add a concrete example"
            } else if !missed.is_empty() {
                "cover the missed points below"
            } else {
                "develop your example: what you did and what changed"
            };
            out.push(format!(
                "Too short: about {} s spoken against a {limit} s limit — {tail}.",
                fb.speaking_secs_max.round()
            ));
        }
        LengthVerdict::TooLong => out.push(format!(
            "Too long: about {} s spoken even at a brisk pace, against a {limit} s limit — keep \
             your strongest point and one example.",
            fb.speaking_secs_min.round()
        )),
        LengthVerdict::Good if limit > 0 => {
            let (lo, hi) = (fb.speaking_secs_min.round(), fb.speaking_secs_max.round());
            let span = if lo == hi {
                format!("{lo}")
            } else {
                format!("{lo}–{hi}")
            };
            out.push(format!(
                "Good length: about {span} s spoken against a {limit} s limit."
            ));
        }
        _ => {}
    }
    if fb.over_time {
        out.push(format!(
            "Over time: you took {} s for a {limit} s limit — rehearse a tighter version.",
            fb.elapsed_secs.round()
        ));
    }
    let total = fb.talking_points.len();
    if total > 0 {
        let covered = total - missed.len();
        let noun = if total == 1 {
            "talking point"
        } else {
            "talking points"
        };
        if missed.is_empty() {
            out.push(format!("Covered all {total} {noun}."));
        } else {
            out.push(format!("Covered {covered} of {total} {noun}."));
        }
        for p in &missed {
            out.push(format!("Missed: '{}'.", p.point.trim()));
        }
    }
    let s = fb.star;
    if s.applicable {
        if !(s.situation || s.task || s.action || s.result) {
            example_said = true;
            out.push(
                "No STAR story: describe one real situation, what you had to do, what you did \
                 and how it ended."
                    .to_string(),
            );
        } else {
            if !s.situation {
                out.push(
                    "No situation: set the scene first — where you were and what was happening."
                        .to_string(),
                );
            }
            if !s.task {
                out.push("No task: say what you had to achieve or solve.".to_string());
            }
            if !s.action {
                out.push(
                    "No action: say what you did, in the first person (\"I decided…\", \"so I…\")."
                        .to_string(),
                );
            }
            if !s.result {
                out.push("No result: say what changed in the end.".to_string());
            }
        }
    }
    if !fb.has_example && !example_said {
        out.push(
            "No concrete example: add one real moment (\"For example, when I was…\").".to_string(),
        );
    }
    if fb.filler_count >= 2 && fb.fillers_per_100_words >= 3.0 {
        let mut all: Vec<&TermCount> = fb.fillers.iter().chain(fb.hedges.iter()).collect();
        all.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.term.cmp(&b.term)));
        let list: Vec<String> = all
            .iter()
            .take(3)
            .map(|t| format!("{} ×{}", t.term, t.count))
            .collect();
        let nf: usize = fb.fillers.iter().map(|t| t.count).sum();
        let nh: usize = fb.hedges.iter().map(|t| t.count).sum();
        let advice = if nf >= nh {
            "pause instead"
        } else {
            "drop the hedges and say it plainly"
        };
        out.push(format!(
            "{:.1} fillers per 100 words ({}) — {advice}.",
            fb.fillers_per_100_words,
            list.join(", ")
        ));
    }
    if let Some(top) = fb.top_words.first()
        && top.count >= 6
        && top.count * 100 >= fb.word_count * 6
    {
        out.push(format!(
            "You said '{}' {} times — vary your wording.",
            top.word, top.count
        ));
    }
    if !fb.key_terms.is_empty() {
        out.push(format!("Key terms used: {}.", fb.key_terms.join(", ")));
    } else if KEY_TERM_CATEGORIES.contains(&category.trim().to_lowercase().as_str()) {
        out.push(
            "No ALT terms: naming the JTE, team teaching or a lesson plan shows you know the job."
                .to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pts(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_string()).collect()
    }

    fn view<'a>(
        category: &'a str,
        question: &'a str,
        points: &'a [String],
        limit: u32,
    ) -> PromptView<'a> {
        PromptView {
            category,
            question,
            talking_points: points,
            time_limit_secs: limit,
        }
    }

    /// A prompt that expects no story and has no points, for tests about counts.
    fn plain(answer: &str) -> Feedback {
        analyse(answer, &view("motivation", "Why Japan?", &[], 90), 30.0)
    }

    fn counts(list: &[TermCount]) -> Vec<(&str, usize)> {
        list.iter().map(|t| (t.term.as_str(), t.count)).collect()
    }

    fn words(n: usize) -> String {
        vec!["word"; n].join(" ")
    }

    #[test]
    fn words_keep_inner_apostrophes_and_hyphens() {
        let fb = plain("Don't worry, it's a well-known fact — 2 kids' toys. rock--roll 'quoted'");
        // don't worry it's a well-known fact 2 kids toys rock roll quoted
        assert_eq!(fb.word_count, 12);
        assert_eq!(plain("co-teacher").word_count, 1);
        assert_eq!(plain("I’m fine").word_count, 2);
    }

    #[test]
    fn counts_fillers_and_hedges_in_the_brief_example() {
        let fb = plain("Um, I think, like, I would um adapt.");
        assert_eq!(fb.word_count, 8);
        assert_eq!(counts(&fb.fillers), vec![("um", 2), ("like", 1)]);
        assert_eq!(counts(&fb.hedges), vec![("I think", 1)]);
        assert_eq!(fb.filler_count, 4);
        assert_eq!(fb.fillers_per_100_words, 50.0);
    }

    #[test]
    fn like_as_verb_or_comparison_is_not_a_filler() {
        let fb = plain(
            "I like kids. They look like their parents. I would like to teach. \
             It was, like, fun. Like, really fun. She likes it.",
        );
        assert_eq!(counts(&fb.fillers), vec![("like", 2)]);
        assert_eq!(counts(&fb.hedges), vec![("really", 1)]);
        // Documented limitation: a preposition after a noun reads as a filler.
        assert_eq!(
            counts(&plain("We played games like bingo.").fillers),
            vec![("like", 1)]
        );
        assert_eq!(plain("I'd like to help.").filler_count, 0);
        assert_eq!(
            plain("It feels like home, just like Japan.").fillers,
            vec![]
        );
    }

    #[test]
    fn so_and_well_count_only_at_sentence_start() {
        let fb = plain("So I went. I was so happy. Well, it went well. Um, so, we left.");
        assert_eq!(counts(&fb.fillers), vec![("so", 2), ("um", 1), ("well", 1)]);
        assert_eq!(plain("It is a well-known school.").filler_count, 0);
    }

    #[test]
    fn multi_word_terms_respect_context_and_sentence_breaks() {
        let fb = plain(
            "It was a kind of game. It was kind of hard. You know, do you know it? I mean it.",
        );
        assert_eq!(counts(&fb.fillers), vec![("I mean", 1), ("you know", 1)]);
        assert_eq!(counts(&fb.hedges), vec![("kind of", 1)]);
        assert_eq!(plain("Ask me. Think about it. You, know.").filler_count, 0);
        assert_eq!(plain("I. Think.").filler_count, 0);
        assert_eq!(
            counts(&plain("I GUESS it was SORT OF fine").hedges),
            vec![("I guess", 1), ("sort of", 1)]
        );
    }

    #[test]
    fn hesitations_match_with_repeated_letters() {
        let fb = plain("Ummm, uhh, errr, hmm, erm, ahh... umbrella");
        assert_eq!(
            counts(&fb.fillers),
            vec![
                ("ah", 1),
                ("er", 1),
                ("erm", 1),
                ("hmm", 1),
                ("uh", 1),
                ("um", 1)
            ]
        );
        assert_eq!(fb.word_count, 7);
    }

    #[test]
    fn top_words_skip_stop_words_fillers_and_singletons() {
        let fb = plain(
            "Games help. Games motivate kids. Kids love games, really really love games. The school's games.",
        );
        let top: Vec<(&str, usize)> = fb
            .top_words
            .iter()
            .map(|w| (w.word.as_str(), w.count))
            .collect();
        assert_eq!(top, vec![("games", 5), ("kids", 2), ("love", 2)]);
        let many = "alpha alpha beta beta gamma gamma delta delta eps eps zeta zeta eta eta theta theta iota iota 7 7";
        let top: Vec<String> = plain(many).top_words.into_iter().map(|w| w.word).collect();
        assert_eq!(
            top,
            vec![
                "alpha", "beta", "delta", "eps", "eta", "gamma", "iota", "theta"
            ]
        );
        // "think" inside the hedge "I think" is not a content word.
        assert!(plain("I think I think so.").top_words.is_empty());
    }

    #[test]
    fn tables_are_consistent() {
        assert_eq!(SYNONYMS.get(EXAMPLE_GROUP).map(|g| g.0), Some("example"));
        assert!(STOP_WORDS.len() >= 150, "{}", STOP_WORDS.len());
        let unique: HashSet<&str> = STOP_WORDS.iter().copied().collect();
        assert_eq!(unique.len(), STOP_WORDS.len());
        // Every variant of every table must survive tokenising, or it could never match.
        for (_, list) in KEY_TERMS.iter().chain(SYNONYMS) {
            for v in *list {
                assert!(!parts_of_text(v).is_empty(), "{v}");
            }
        }
    }

    #[test]
    fn stemmer_joins_word_families() {
        for w in [
            "adapt",
            "adapting",
            "adaptable",
            "adaptability",
            "adapted",
            "adaptation",
            "adapts",
        ] {
            assert_eq!(stem(w), "adapt", "{w}");
        }
        assert_eq!(stem("students"), "student");
        assert_eq!(stem("student"), "student");
        assert_eq!(stem("taught"), "teach");
        assert_eq!(stem("teaching"), "teach");
        assert_eq!(stem("teachers"), "teach");
        assert_eq!(stem("planning"), "plan");
        assert_eq!(stem("class"), "class");
        assert_eq!(stem("classes"), "class");
        assert_eq!(stem("cultural"), stem("culture"));
        assert_eq!(stem("flexibility"), stem("flexible"));
        assert_eq!(stem("organised"), stem("organization"));
        assert_eq!(stem("children"), "child");
        assert_eq!(stem("use"), "use");
        assert_eq!(stem("日本語"), "日本語");
    }

    #[test]
    fn point_covered_by_stem() {
        let p = pts(&["organising school events", "adapt to new schools"]);
        let fb = analyse(
            "I organized events at my school and I am very adaptable.",
            &view("motivation", "Why?", &p, 90),
            0.0,
        );
        let tp = &fb.talking_points;
        assert_eq!(tp[0].matched, vec!["organising", "school", "events"]);
        assert!(tp[0].covered);
        assert_eq!(tp[1].matched, vec!["adapt", "schools"]);
        assert_eq!(tp[1].missing, vec!["new"]);
        assert!(tp[1].covered);
        assert_eq!(fb.coverage, 1.0);
    }

    #[test]
    fn point_covered_by_synonym() {
        let p = pts(&[
            "working with children",
            "cooperate with the JTE",
            "rural life",
            "cultural exchange",
            "flexible",
        ]);
        let answer = "I love kids. I planned lessons with my Japanese teacher. I grew up in the \
                      countryside and I want to share my culture. I can adjust.";
        let fb = analyse(answer, &view("motivation", "Why?", &p, 90), 0.0);
        let m: Vec<(bool, Vec<&str>)> = fb
            .talking_points
            .iter()
            .map(|t| (t.covered, t.matched.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            m,
            vec![
                (true, vec!["children"]),
                (true, vec!["jte"]),
                (true, vec!["rural"]),
                (true, vec!["cultural", "exchange"]),
                (true, vec!["flexible"]),
            ]
        );
        assert_eq!(fb.talking_points[1].missing, vec!["cooperate"]);
    }

    #[test]
    fn point_needs_half_its_words_rounded_up() {
        let p = pts(&["cultural exchange, not only English"]);
        let v = view("motivation", "Why?", &p, 90);
        let one = analyse("English is fun.", &v, 0.0);
        assert!(!one.talking_points[0].covered);
        assert_eq!(one.talking_points[0].missing, vec!["cultural", "exchange"]);
        assert_eq!(one.coverage, 0.0);
        let two = analyse("English and culture.", &v, 0.0);
        assert!(two.talking_points[0].covered);
    }

    #[test]
    fn example_point_is_met_by_any_concrete_example() {
        let p = pts(&["give a concrete past example", "be yourself"]);
        let v = view("motivation", "Why?", &p, 90);
        let fb = analyse("Last year I taught 30 kids.", &v, 0.0);
        assert!(fb.has_example);
        assert_eq!(fb.talking_points[0].matched, vec!["example"]);
        assert!(fb.talking_points[0].covered);
        // All stop words: every word counts, so "be" alone covers it.
        assert!(!fb.talking_points[1].covered);
        let fb = analyse("I would be a good ALT.", &v, 0.0);
        assert_eq!(fb.talking_points[0].missing, vec!["example"]);
        assert!(fb.talking_points[1].covered);
        assert_eq!(fb.coverage, 0.5);
    }

    #[test]
    fn examples_need_a_concrete_cue() {
        assert!(!plain("When I get to Japan I will be flexible.").has_example);
        assert!(plain("When I taught in Spain it was hard.").has_example);
        assert!(plain("In 2019 I moved.").has_example);
        assert!(plain("For instance, games.").has_example);
        assert!(plain("We used songs, such as Hello Song.").has_example);
        assert!(!plain("I need to be patient when I need help.").has_example);
    }

    const STORY: &str = "Last year, when I was volunteering at my local school, there was a shy boy. \
        I had to help him speak, so I decided to talk with my Japanese teacher and we made a game. \
        In the end he was able to speak in front of the class.";

    #[test]
    fn star_found_when_present() {
        let fb = analyse(
            STORY,
            &view("teaching", "How would you teach?", &[], 90),
            0.0,
        );
        assert_eq!(
            fb.star,
            Star {
                situation: true,
                task: true,
                action: true,
                result: true,
                applicable: true
            }
        );
        let star_notes = [
            "No STAR",
            "No situation",
            "No task",
            "No action",
            "No result",
        ];
        assert!(
            !fb.notes
                .iter()
                .any(|n| star_notes.iter().any(|s| n.starts_with(s)))
        );
        assert!(fb.has_example);
    }

    #[test]
    fn star_absent_when_missing() {
        let fb = analyse(
            "I am a flexible person and I like children.",
            &view("teaching", "?", &[], 90),
            0.0,
        );
        assert_eq!(
            fb.star,
            Star {
                situation: false,
                task: false,
                action: false,
                result: false,
                applicable: true
            }
        );
        assert!(fb.notes.iter().any(|n| n.starts_with("No STAR story:")));
        let partial = analyse(
            "At my school there was a shy student, so I decided to play games with him.",
            &view("resilience", "?", &[], 90),
            0.0,
        );
        assert_eq!(
            (
                partial.star.situation,
                partial.star.task,
                partial.star.action,
                partial.star.result
            ),
            (true, false, true, false)
        );
        let notes: Vec<&str> = partial.notes.iter().map(String::as_str).collect();
        assert!(notes.contains(&"No task: say what you had to achieve or solve."));
        assert!(notes.contains(&"No result: say what changed in the end."));
    }

    #[test]
    fn star_applicability_from_category_or_question() {
        let a = |cat: &str, q: &str| analyse("x", &view(cat, q, &[], 90), 0.0).star.applicable;
        assert!(a("Teaching", "How?"));
        assert!(a(" dispatch ", "How?"));
        assert!(!a("motivation", "Why Japan?"));
        assert!(a("motivation", "Tell us about a time you failed."));
        assert!(a("culture", "Can you give an example of culture shock?"));
        assert!(a("closing", "Tell me about your last job."));
        assert!(!a("motivation", "Tell us about yourself."));
    }

    #[test]
    fn length_verdict_boundaries() {
        let v = |n: usize, limit: u32| {
            analyse(&words(n), &view("x", "?", &[], limit), 0.0).length_verdict
        };
        // 40% of 60 s = 24 s = 52 words at 130 wpm; 60 s at 160 wpm = 160 words.
        assert_eq!(v(51, 60), LengthVerdict::TooShort);
        assert_eq!(v(52, 60), LengthVerdict::Good);
        assert_eq!(v(160, 60), LengthVerdict::Good);
        assert_eq!(v(161, 60), LengthVerdict::TooLong);
        assert_eq!(v(0, 0), LengthVerdict::TooShort);
        assert_eq!(v(500, 0), LengthVerdict::Good);
        let fb = analyse(&words(52), &view("x", "?", &[], 60), 0.0);
        assert_eq!((fb.speaking_secs_min, fb.speaking_secs_max), (19.5, 24.0));
        assert_eq!(
            fb.notes[0],
            "Good length: about 20–24 s spoken against a 60 s limit."
        );
        let short = analyse(&words(13), &view("x", "?", &[], 90), 0.0);
        assert_eq!(
            short.notes[0],
            "Too short: about 6 s spoken against a 90 s limit — add a concrete example."
        );
        let long = analyse(&words(400), &view("x", "?", &[], 90), 0.0);
        assert_eq!(
            long.notes[0],
            "Too long: about 150 s spoken even at a brisk pace, against a 90 s limit — keep your \
             strongest point and one example."
        );
    }

    #[test]
    fn over_time_and_odd_elapsed_values() {
        let t = |e: f64| {
            let fb = analyse("hello", &view("x", "?", &[], 60), e);
            (fb.elapsed_secs, fb.over_time)
        };
        assert_eq!(t(60.0), (60.0, false));
        assert_eq!(t(60.5), (60.5, true));
        assert_eq!(t(f64::NAN), (0.0, false));
        assert_eq!(t(f64::INFINITY), (0.0, false));
        assert_eq!(t(-5.0), (0.0, false));
        let fb = analyse(&words(100), &view("x", "?", &[], 60), 75.4);
        assert!(fb.notes.contains(
            &"Over time: you took 75 s for a 60 s limit — rehearse a tighter version.".to_string()
        ));
    }

    #[test]
    fn empty_answer() {
        let p = pts(&["a", "b", "c"]);
        for answer in ["", "   \n\t", "🎌🎌!!", "\u{0}\u{7}"] {
            let fb = analyse(
                answer,
                &view("teaching", "Tell us about a time", &p, 90),
                12.0,
            );
            assert_eq!(fb.word_count, 0);
            assert_eq!(fb.filler_count, 0);
            assert_eq!(fb.fillers_per_100_words, 0.0);
            assert_eq!((fb.speaking_secs_min, fb.speaking_secs_max), (0.0, 0.0));
            assert_eq!(fb.length_verdict, LengthVerdict::TooShort);
            assert_eq!(fb.coverage, 0.0);
            assert!(!fb.has_example);
            assert!(fb.key_terms.is_empty() && fb.top_words.is_empty());
            assert_eq!(
                fb.notes,
                vec!["No answer to analyse: type what you would say out loud."]
            );
        }
        assert_eq!(plain("").coverage, 1.0);
    }

    #[test]
    fn non_ascii_text() {
        let fb = plain("Café naïve 日本語を勉強しています 🎌 I’m ＡＢＣ, ÜBER über");
        assert_eq!(fb.word_count, 7);
        assert_eq!(
            fb.top_words,
            vec![WordCount {
                word: "über".to_string(),
                count: 2
            }]
        );
        let fb = plain("\u{0}um\u{7}\u{1b}[31m like\r\nwell");
        assert_eq!(
            counts(&fb.fillers),
            vec![("like", 1), ("um", 1), ("well", 1)]
        );
        // A combining accent splits the word: e + U+0301 is not alphanumeric.
        assert_eq!(plain("cafe\u{301} ok").word_count, 2);
    }

    #[test]
    fn key_terms_listed_once_in_canonical_spelling() {
        let fb = plain(
            "My JTE and I did team-teaching at a junior high school; the BOE and the JTEs \
             liked our lesson plans. Every situation is different, so ESID.",
        );
        assert_eq!(
            fb.key_terms,
            vec![
                "JTE",
                "team teaching",
                "junior high school",
                "board of education",
                "lesson plan",
                "ESID"
            ]
        );
    }

    #[test]
    fn notes_for_a_weak_answer_read_well() {
        let p = pts(&["give a concrete past example"]);
        let fb = analyse(
            "Um, I think, like, I would um adapt.",
            &view("motivation", "Why Japan?", &p, 90),
            20.0,
        );
        assert_eq!(
            fb.notes,
            vec![
                "Too short: about 4 s spoken against a 90 s limit — add a concrete example.",
                "Covered 0 of 1 talking point.",
                "Missed: 'give a concrete past example'.",
                "50.0 fillers per 100 words (um ×2, I think ×1, like ×1) — pause instead.",
                "Key terms used: adapt.",
            ]
        );
    }

    #[test]
    fn notes_for_hedging_repetition_and_missing_vocabulary() {
        let answer = "Maybe games. Probably games. I guess games are just good. Games, games, games \
                      really help. I think games are good for everyone in the room.";
        let fb = analyse(
            answer,
            &view("demo-lesson", "Show a warm up", &[], 60),
            10.0,
        );
        assert_eq!(fb.word_count, 25);
        assert_eq!(fb.filler_count, 6);
        assert_eq!(
            fb.top_words[0],
            WordCount {
                word: "games".to_string(),
                count: 7
            }
        );
        let notes: Vec<&str> = fb.notes.iter().map(String::as_str).collect();
        assert_eq!(
            notes,
            vec![
                "Too short: about 12 s spoken against a 60 s limit — add a concrete example.",
                "24.0 fillers per 100 words (I guess ×1, I think ×1, just ×1) — drop the hedges and say it plainly.",
                "You said 'games' 7 times — vary your wording.",
                "No ALT terms: naming the JTE, team teaching or a lesson plan shows you know the job.",
            ]
        );
    }

    #[test]
    fn serialises_with_snake_case_fields() {
        let fb = analyse(
            STORY,
            &view("teaching", "?", &pts(&["help a shy student"]), 90),
            50.0,
        );
        let json = serde_json::to_value(&fb).unwrap_or_default();
        let keys: Vec<&str> = json
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let mut expected = vec![
            "word_count",
            "speaking_secs_min",
            "speaking_secs_max",
            "time_limit_secs",
            "length_verdict",
            "elapsed_secs",
            "over_time",
            "fillers",
            "hedges",
            "filler_count",
            "fillers_per_100_words",
            "top_words",
            "talking_points",
            "coverage",
            "star",
            "has_example",
            "key_terms",
            "notes",
        ];
        expected.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, expected);
        assert_eq!(json["length_verdict"], "too_short");
        assert_eq!(json["star"]["result"], true);
        assert_eq!(json["talking_points"][0]["covered"], true);
    }

    #[test]
    fn huge_input_finishes_fast() {
        let unit = "Um, like, I adapt. ";
        let n = 1_000_000 / unit.len() + 1;
        let answer = unit.repeat(n);
        let start = std::time::Instant::now();
        let fb = analyse(&answer, &view("teaching", "?", &pts(&["adapt"]), 90), 0.0);
        // Linear time: ~2 s unoptimised, ~0.2 s in release; quadratic would take minutes.
        assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
        assert_eq!(fb.word_count, 4 * n);
        assert_eq!(counts(&fb.fillers), vec![("like", n), ("um", n)]);
        assert_eq!(fb.length_verdict, LengthVerdict::TooLong);
        for odd in [
            "a".repeat(1_000_000),
            "a-".repeat(500_000),
            "🎌".repeat(250_000),
        ] {
            let start = std::time::Instant::now();
            let _ = analyse(&odd, &view("teaching", "?", &pts(&["adapt"]), 90), 0.0);
            assert!(start.elapsed().as_secs() < 10);
        }
    }

    proptest! {
        #[test]
        fn never_panics_and_keeps_invariants(answer in "\\PC{0,300}", point in "\\PC{0,40}", limit in 0u32..500, e in proptest::num::f64::ANY) {
            let p = vec![point];
            let fb = analyse(&answer, &view("teaching", "tell us about a time", &p, limit), e);
            prop_assert!(fb.filler_count <= fb.word_count);
            prop_assert!(fb.top_words.len() <= 8);
            prop_assert!((0.0..=1.0).contains(&fb.coverage));
            prop_assert!(fb.elapsed_secs.is_finite() && fb.elapsed_secs >= 0.0);
            prop_assert!(!fb.notes.is_empty());
        }

        #[test]
        fn word_soup_never_panics(answer in "([ -~]|[’‐…。、é日🎌\u{0}\u{301}]){0,400}") {
            let fb = analyse(&answer, &view("x", "?", &[], 60), 1.0);
            prop_assert!(fb.word_count <= answer.chars().count());
        }
    }
}
