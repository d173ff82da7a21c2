//! Cargo build script: rebuilds Kiosque when a file is added to or removed from the default
//! theme. `include_dir!` (src/theme.rs) embeds `themes/default` in the binary, but rustc only
//! tracks the files it read, so a new file would not reach the embedded theme until something
//! else changed; cargo watches the whole folder instead (a folder given to `rerun-if-changed`
//! is scanned for any change).
//!
//! Naming a path also stops cargo from rerunning this script for every other file of the
//! package, which it does for a build script that names none.

fn main() {
    println!("cargo::rerun-if-changed=themes/default");
}
