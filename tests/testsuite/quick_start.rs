//! The README's Quick start, run as written on a copy of the repository (its files as
//! `git ls-files` lists them). The commands are read from the README, so a change there is
//! a change here. Two stand-ins, both for the time a release build of Kiosque takes: `cargo
//! run --release -- ARGS` runs this test's build of the same sources with ARGS, and `cargo
//! install --locked --path .` puts that build on the PATH as `kiosque`. A `serve` is started,
//! asked for its home page over HTTP, and stopped.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::{example_root, heavy, stderr};

const BINARY: &str = env!("CARGO_BIN_EXE_kiosque");

/// The Quick start's command that runs the whole test suite.
const TEST_SUITE: &str = "cargo test --all-targets -- --include-ignored";

/// The commands of the Quick start: each line of its `sh` blocks, and its inline
/// `cargo run …` commands, in order.
fn quick_start_commands(readme: &str) -> Vec<String> {
    let start = readme
        .find("\n## Quick start\n")
        .expect("a Quick start section");
    let section = &readme[start + 1..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |e| e + 3)];
    let mut commands = Vec::new();
    let mut in_sh = false;
    for line in section.lines() {
        if line.starts_with("```") {
            in_sh = !in_sh && line == "```sh";
            continue;
        }
        if in_sh {
            if !line.trim().is_empty() && !line.starts_with('#') {
                commands.push(line.trim().to_string());
            }
            continue;
        }
        for (i, span) in line.split('`').enumerate() {
            if i % 2 == 1 && span.starts_with("cargo run ") {
                commands.push(span.to_string());
            }
        }
    }
    commands
}

/// A copy of the repository's tracked files.
fn copy_repository(to: &Path) {
    let listed = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(example_root())
        .output()
        .expect("git runs");
    assert!(listed.status.success(), "{}", stderr(&listed));
    for file in listed.stdout.split(|b| *b == 0).filter(|f| !f.is_empty()) {
        let file = PathBuf::from(String::from_utf8_lossy(file).into_owned());
        let from = example_root().join(&file);
        if !from.is_file() {
            continue;
        }
        let target = to.join(&file);
        fs::create_dir_all(target.parent().expect("a folder")).expect("folder");
        fs::copy(&from, &target).expect("copy");
    }
}

/// Starts a `serve` command, waits for its address, fetches its home page, stops it.
fn serve(mut command: Command) -> String {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .expect("serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        let Some(Ok(line)) = lines.next() else {
            let _ = child.kill();
            let mut err = String::new();
            let _ = child.stderr.take().map(|mut e| e.read_to_string(&mut err));
            panic!("serve stopped before serving: {err}");
        };
        if let Some(rest) = line.strip_prefix("Serving ") {
            let url = rest.split(" at ").nth(1).and_then(|r| r.split(' ').next());
            break url.expect("the address").to_string();
        }
    };
    let authority = url
        .strip_prefix("http://")
        .and_then(|r| r.split('/').next())
        .expect("an http address");
    let addr = authority
        .to_socket_addrs()
        .expect("address")
        .next()
        .expect("one");
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut reply = String::new();
    stream.read_to_string(&mut reply).expect("reply");
    let _ = child.kill();
    let _ = child.wait();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    reply
}

#[test]
fn the_readme_quick_start_runs_as_written() {
    // Many processes and builds: not beside the tests that time the preview.
    let _alone = heavy();
    let readme = fs::read_to_string(example_root().join("README.md")).expect("README");
    let commands = quick_start_commands(&readme);
    assert_eq!(
        commands,
        [
            "cargo run --release -- serve",
            "cargo run --release -- build",
            TEST_SUITE,
            "cargo install --locked --path .",
            "kiosque init ../my-news --title \"My News\" --language en --base-url https://news.example/ --host github",
            "kiosque serve --root ../my-news",
        ],
        "the Quick start changed: run its new commands here"
    );
    let dir = tempfile::tempdir().expect("temporary folder");
    let repository = dir.path().join("kiosque");
    copy_repository(&repository);
    let bin = dir.path().join("bin");
    fs::create_dir(&bin).expect("folder");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );

    for command in &commands {
        if command == TEST_SUITE {
            // Not run from inside itself: CI runs it, locked to Cargo.lock.
            let ci = fs::read_to_string(example_root().join(".ci/run")).expect(".ci/run");
            let locked = command.replacen("cargo test", "cargo test --locked", 1);
            assert!(ci.lines().any(|l| l == locked), ".ci/run runs `{locked}`");
            continue;
        }
        let mut process = if let Some(args) = command.strip_prefix("cargo run --release -- ") {
            let mut process = Command::new(BINARY);
            process.args(args.split_whitespace());
            process
        } else if command == "cargo install --locked --path ." {
            let manifest = fs::read_to_string(repository.join("Cargo.toml")).expect("manifest");
            assert!(
                manifest.contains("\nname = \"kiosque\"\n"),
                "installs `kiosque`"
            );
            fs::copy(BINARY, bin.join("kiosque")).expect("install");
            continue;
        } else {
            // `exec`: the process stopped after a `serve` is Kiosque, not the shell.
            let mut process = Command::new("sh");
            process.args(["-c", &format!("exec {command}")]);
            process
        };
        process.current_dir(&repository).env("PATH", &path);
        if command.contains(" serve") {
            let home = serve(process);
            assert!(home.contains("<html"), "{command}: {home}");
            continue;
        }
        let output = process.output().expect("runs");
        assert!(output.status.success(), "{command}: {}", stderr(&output));
    }
    assert!(
        repository.join("public/index.html").is_file(),
        "build wrote public/"
    );
    let site = dir.path().join("my-news");
    let toml = fs::read_to_string(site.join("site.toml")).expect("the new site");
    assert!(toml.contains("title = \"My News\""), "{toml}");
    assert!(site.join(".github/workflows/publish.yml").is_file());
}
