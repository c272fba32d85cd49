//! The decks shipped inside the binary (design.md rule 10): installed on first run, updated by
//! key when a new version changes them, never touching anyone's progress.

/// (file name, contents). A test parses every one of them.
pub const BUILTIN: &[(&str, &str)] = &[
    ("alt-role.toml", include_str!("../../decks/alt-role.toml")),
    (
        "jet-vs-dispatch.toml",
        include_str!("../../decks/jet-vs-dispatch.toml"),
    ),
    (
        "school-life.toml",
        include_str!("../../decks/school-life.toml"),
    ),
    (
        "workplace-japanese.toml",
        include_str!("../../decks/workplace-japanese.toml"),
    ),
    (
        "classroom-english.toml",
        include_str!("../../decks/classroom-english.toml"),
    ),
    (
        "community-life.toml",
        include_str!("../../decks/community-life.toml"),
    ),
];

/// A fingerprint of the shipped content: when it changes, the decks are re-installed.
/// FNV-1a, so it is the same on every platform and build.
pub fn content_version() -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (name, text) in BUILTIN {
        for byte in name.bytes().chain(text.bytes()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}
