//! Text encodings spreadsheet programs write besides UTF-8.
//!
//! Excel's "Unicode Text" (and some "Save as CSV" paths on Windows) writes UTF-16 with a
//! byte-order mark. Such a file is turned into UTF-8 once, before the format is detected, so
//! every text parser (CSV, TSV, Anki text, Markdown, TOML, JSON) reads it unchanged. Without a
//! BOM the bytes are taken as UTF-8, and anything else (Windows-1252 from an older Excel) is
//! an error naming the line, from the parser itself.

use super::draft::LineError;

/// `Some(utf8)` for a UTF-16 file with a byte-order mark (little- or big-endian), `None` for
/// anything else. An unpaired surrogate or an odd byte count is an error naming its line.
pub fn utf16_to_utf8(bytes: &[u8]) -> Option<Result<Vec<u8>, LineError>> {
    let little = match bytes {
        [0xff, 0xfe, ..] => true,
        [0xfe, 0xff, ..] => false,
        _ => return None,
    };
    let body = &bytes[2..];
    let units = body.chunks(2).map(|pair| match pair {
        [a, b] if little => u16::from_le_bytes([*a, *b]),
        [a, b] => u16::from_be_bytes([*a, *b]),
        // An odd trailing byte: not a code unit; U+FFFD makes the decoder below report it.
        _ => 0xdc00,
    });
    let mut out = String::with_capacity(body.len());
    let mut line = 1usize;
    for unit in char::decode_utf16(units) {
        match unit {
            Ok(ch) => {
                if ch == '\n' {
                    line += 1;
                }
                out.push(ch);
            }
            Err(_) => {
                return Some(Err(LineError::new(
                    line,
                    "not valid UTF-16 (a broken character); save the file as UTF-8",
                )));
            }
        }
    }
    Some(Ok(out.into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn le(text: &str) -> Vec<u8> {
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    }

    #[test]
    fn both_byte_orders_become_utf8() {
        let text = "Front\tBack\r\n先生\tTeacher 🎌\r\n";
        assert_eq!(utf16_to_utf8(&le(text)).unwrap().unwrap(), text.as_bytes());
        let mut be = vec![0xfe, 0xff];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(utf16_to_utf8(&be).unwrap().unwrap(), text.as_bytes());
    }

    #[test]
    fn utf8_and_plain_bytes_are_left_alone() {
        assert!(utf16_to_utf8(b"\xef\xbb\xbfa,b").is_none());
        assert!(utf16_to_utf8(b"a,b").is_none());
        assert!(utf16_to_utf8(b"").is_none());
    }

    #[test]
    fn broken_utf16_names_the_line() {
        let mut bytes = le("a\tb\nc\t");
        bytes.extend([0x00, 0xd8]); // a lone high surrogate on line 2
        bytes.extend(le("d").split_off(2));
        let err = utf16_to_utf8(&bytes).unwrap().unwrap_err();
        assert_eq!(err.line, 2);
        let mut odd = le("a\tb");
        odd.push(0x41);
        assert!(utf16_to_utf8(&odd).unwrap().is_err());
    }
}
