//! Fingerprints the built-in decks at build time, so start-up can tell in one settings read
//! whether a new version's decks must be installed (see `src/deck/builtin.rs`).

use std::fs;

fn main() {
    println!("cargo::rerun-if-changed=decks");
    let mut names: Vec<_> = fs::read_dir("decks")
        .map(|dir| {
            dir.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    // FNV-1a: stable across platforms and Rust versions.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for path in names {
        println!("cargo::rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = fs::read(&path).unwrap_or_default();
        for byte in name.bytes().chain(text) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo::rustc-env=ALT_PREP_DECKS_VERSION={hash:016x}");
}
