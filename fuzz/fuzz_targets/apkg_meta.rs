//! The package `meta` entry (a protobuf `PackageMetadata`): the input becomes the `meta` of a
//! package that also holds every collection name, so every version it may name leads somewhere.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::{Cursor, Write};

fn package(meta: &[u8]) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let not_sqlite = b"this is not an SQLite database";
    let entries: [(&str, Vec<u8>); 5] = [
        ("meta", meta.to_vec()),
        ("collection.anki2", not_sqlite.to_vec()),
        ("collection.anki21", not_sqlite.to_vec()),
        (
            "collection.anki21b",
            zstd::encode_all(&not_sqlite[..], 1).unwrap_or_default(),
        ),
        ("media", b"{}".to_vec()),
    ];
    for (name, bytes) in entries {
        if zip.start_file(name, stored).is_err() || zip.write_all(&bytes).is_err() {
            return Vec::new();
        }
    }
    if zip.finish().is_err() {
        return Vec::new();
    }
    out.into_inner()
}

fuzz_target!(|data: &[u8]| {
    let bytes = package(data);
    let Err(errors) = alt_prep::deck::apkg::parse(&bytes, "fuzz.apkg") else {
        panic!("a package whose collections are not SQLite was accepted");
    };
    assert!(!errors.is_empty());
});
