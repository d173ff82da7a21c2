//! The deploy recipes `kiosque init --host` writes, tested as far as can be done without the
//! hosts: each file parses (YAML, TOML, shell); it installs the Kiosque version that wrote
//! it and rebuilds on a schedule where the host has one; the build command it runs works on
//! a clean clone of the new site, and the folder it publishes is the one Kiosque writes.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_yaml::Value;

use crate::init::{build_and_check, init};
use crate::support::{heavy, stderr};

const VERSION: &str = env!("CARGO_PKG_VERSION");
const BINARY: &str = env!("CARGO_BIN_EXE_kiosque");

/// What a recipe runs and publishes.
struct Recipe {
    /// Shell commands of the build, as written.
    builds: Vec<String>,
    /// The folder it publishes.
    publishes: String,
}

fn yaml(path: &Path) -> Value {
    let text = fs::read_to_string(path).expect("recipe");
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn str_of(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("expected a string, found {value:?}"))
}

/// A GitHub Actions workflow: triggers, the version pinned, what it runs and uploads.
fn github_workflow(root: &Path, uploads_with: &str) -> Recipe {
    let workflow = yaml(&root.join(".github/workflows/publish.yml"));
    let on = &workflow["on"];
    assert!(
        on.get("push").is_some() && on.get("workflow_dispatch").is_some(),
        "{on:?}"
    );
    let cron = str_of(&on["schedule"][0]["cron"]);
    assert_eq!(cron.split_whitespace().count(), 5, "{cron}");
    assert_eq!(str_of(&workflow["env"]["KIOSQUE_VERSION"]), VERSION);
    let steps: Vec<&Value> = workflow["jobs"]
        .as_mapping()
        .expect("jobs")
        .values()
        .flat_map(|job| job["steps"].as_sequence().expect("steps"))
        .collect();
    let runs: Vec<String> = steps
        .iter()
        .filter_map(|step| step["run"].as_str().map(str::to_string))
        .collect();
    assert!(
        runs.iter()
            .any(|r| r.contains("cargo install --locked kiosque --version \"=$KIOSQUE_VERSION\"")),
        "{runs:?}"
    );
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(uses.iter().any(|u| u.starts_with(uploads_with)), "{uses:?}");
    let publishes = steps
        .iter()
        .find_map(|step| {
            let uses = step["uses"].as_str()?;
            if uses.starts_with("actions/upload-pages-artifact@") {
                return Some(str_of(&step["with"]["path"]).to_string());
            }
            let command = step["with"]["command"].as_str()?;
            let rest = command.strip_prefix("pages deploy ")?;
            Some(rest.split_whitespace().next()?.to_string())
        })
        .expect("the published folder");
    let builds = runs
        .into_iter()
        .filter(|r| r.contains("kiosque build"))
        .collect();
    Recipe { builds, publishes }
}

fn gitlab(root: &Path) -> Recipe {
    let ci = yaml(&root.join(".gitlab-ci.yml"));
    assert_eq!(str_of(&ci["variables"]["KIOSQUE_VERSION"]), VERSION);
    let pages = &ci["pages"];
    let rules: Vec<&str> = pages["rules"]
        .as_sequence()
        .expect("rules")
        .iter()
        .map(|rule| str_of(&rule["if"]))
        .collect();
    assert!(
        rules.contains(&"$CI_PIPELINE_SOURCE == \"schedule\""),
        "{rules:?}"
    );
    let script: Vec<String> = pages["script"]
        .as_sequence()
        .expect("script")
        .iter()
        .map(|line| str_of(line).to_string())
        .collect();
    assert!(
        script[0].contains("kiosque --version \"=$KIOSQUE_VERSION\""),
        "{script:?}"
    );
    let paths = pages["artifacts"]["paths"]
        .as_sequence()
        .expect("artifacts");
    assert_eq!(paths.len(), 1);
    Recipe {
        builds: script
            .into_iter()
            .filter(|l| l.contains("kiosque build"))
            .collect(),
        publishes: str_of(&paths[0]).to_string(),
    }
}

fn netlify(root: &Path) -> Recipe {
    let text = fs::read_to_string(root.join("netlify.toml")).expect("netlify.toml");
    let toml: toml::Table = toml::from_str(&text).expect("netlify.toml parses");
    let build = toml["build"].as_table().expect("[build]");
    assert_eq!(
        build["environment"]["KIOSQUE_VERSION"].as_str(),
        Some(VERSION)
    );
    let command = build["command"].as_str().expect("command");
    let (install, run) = command.split_once(" && ").expect("install && build");
    assert!(
        install.starts_with("cargo install --locked kiosque --version"),
        "{install}"
    );
    Recipe {
        builds: vec![run.to_string()],
        publishes: build["publish"].as_str().expect("publish").to_string(),
    }
}

/// A clean clone of the new site: only what `git add .` takes, `.gitignore` applied.
fn clone(root: &Path, into: &Path) {
    let git = |dir: &Path, args: &[&str]| {
        let output = Command::new("git")
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
            .args(args)
            .current_dir(dir)
            .output()
            .expect("git runs");
        assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
    };
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "new site"]);
    let into = into.to_str().expect("UTF-8 path");
    git(root, &["clone", "-q", ".", into]);
}

/// Runs a recipe's build command in `dir` as its host would, Kiosque being this binary.
fn run_build(dir: &Path, command: &str) {
    let command = match command.strip_prefix("kiosque ") {
        Some(rest) => format!("{BINARY} {rest}"),
        None => command.replace(".kiosque-bin/bin/kiosque", BINARY),
    };
    let command = command.replace(
        "${{ steps.pages.outputs.base_url }}",
        "https://user.github.io/echo",
    );
    let output = Command::new("sh")
        .args(["-c", &command])
        .current_dir(dir)
        .env("CI_PAGES_URL", "https://user.gitlab.io/echo")
        .output()
        .expect("sh runs");
    assert!(output.status.success(), "{command}: {}", stderr(&output));
}

#[test]
fn each_recipe_parses_pins_the_version_and_builds_what_it_publishes_from_a_clean_clone() {
    // Many processes and builds: not beside the tests that time the preview.
    let _alone = heavy();
    for host in ["github", "cloudflare", "gitlab", "netlify"] {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path().join("site");
        init(&root, "en", Some(host));
        let recipe = match host {
            "github" => github_workflow(&root, "actions/deploy-pages@"),
            "cloudflare" => github_workflow(&root, "cloudflare/wrangler-action@"),
            "gitlab" => gitlab(&root),
            _ => netlify(&root),
        };
        assert_eq!(
            recipe.publishes, "public",
            "{host}: the folder Kiosque writes"
        );
        assert_eq!(recipe.builds.len(), 1, "{host}: {:?}", recipe.builds);
        let clean = dir.path().join("clone");
        clone(&root, &clean);
        assert!(!clean.join("public").exists());
        run_build(&clean, &recipe.builds[0]);
        let home = fs::read_to_string(clean.join(&recipe.publishes).join("index.html"))
            .unwrap_or_else(|e| panic!("{host}: no home page in {}: {e}", recipe.publishes));
        if host == "github" {
            assert!(
                home.contains("https://user.github.io/echo/"),
                "{host}: the Pages address"
            );
        }
        if host == "gitlab" {
            assert!(
                home.contains("https://user.gitlab.io/echo/"),
                "{host}: the Pages address"
            );
        }
        assert!(clean.join("public/_headers").is_file(), "{host}");
        // What .gitignore keeps out of the repository, once built.
        let ignored = Command::new("git")
            .args(["status", "--porcelain", "--ignored"])
            .current_dir(&clean)
            .output()
            .expect("git");
        let ignored = String::from_utf8_lossy(&ignored.stdout);
        assert!(ignored.contains("!! public/"), "{ignored}");
        assert!(ignored.contains("!! .kiosque-cache/"), "{ignored}");
        assert!(!ignored.lines().any(|l| l.starts_with("??")), "{ignored}");
    }
}

/// A script's run with `rsync` and `aws` replaced by recorders of their arguments.
fn run_script(root: &Path, env: &[(&str, &str)]) -> String {
    let bin = root.join("fake-bin");
    fs::create_dir_all(&bin).expect("folder");
    for tool in ["rsync", "aws"] {
        let script = format!("#!/bin/sh\necho \"{tool} $*\" >> \"$RECORD\"\n");
        let path = bin.join(tool);
        fs::write(&path, script).expect("fake tool");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("mode");
        }
    }
    let record = root.join("record.txt");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new("sh")
        .arg("-n")
        .arg(root.join("deploy.sh"))
        .output()
        .expect("sh");
    assert!(output.status.success(), "sh -n: {}", stderr(&output));
    let output = Command::new(root.join("deploy.sh"))
        .current_dir(root)
        .env("PATH", path)
        .env("KIOSQUE", BINARY)
        .env("RECORD", &record)
        .envs(env.iter().copied())
        .output()
        .expect("deploy.sh runs");
    assert!(output.status.success(), "deploy.sh: {}", stderr(&output));
    fs::read_to_string(record).unwrap_or_default()
}

#[test]
fn the_rsync_script_builds_then_sends_the_output_folder() {
    let dir = tempfile::tempdir().expect("temporary folder");
    init(dir.path(), "en", Some("rsync"));
    let script = fs::read_to_string(dir.path().join("deploy.sh")).expect("script");
    assert!(script.contains(VERSION));
    let missing = Command::new(dir.path().join("deploy.sh"))
        .current_dir(dir.path())
        .env_remove("DEPLOY_TARGET")
        .output()
        .expect("runs");
    assert!(!missing.status.success(), "no target, no deploy");
    let record = run_script(dir.path(), &[("DEPLOY_TARGET", "me@host:/var/www/echo/")]);
    assert!(dir.path().join("public/index.html").is_file());
    assert_eq!(record.lines().count(), 1, "{record}");
    assert!(record.starts_with("rsync "), "{record}");
    assert!(record.contains("--delete"), "{record}");
    assert!(
        record
            .trim_end()
            .ends_with("public/ me@host:/var/www/echo/"),
        "{record}"
    );
}

#[test]
fn the_s3_script_uploads_each_kind_of_file_with_its_caching() {
    for precompress in [false, true] {
        let dir = tempfile::tempdir().expect("temporary folder");
        init(dir.path(), "en", Some("s3"));
        if precompress {
            crate::support::edit(&dir.path().join("site.toml"), |t| {
                t.replace("# precompress = true", "precompress = true")
            });
        }
        build_and_check(dir.path());
        let record = run_script(dir.path(), &[("DEPLOY_BUCKET", "echo-bucket")]);
        let syncs: Vec<&str> = record.lines().collect();
        assert_eq!(syncs.len(), if precompress { 3 } else { 2 }, "{record}");
        for sync in &syncs {
            assert!(sync.starts_with("aws s3 sync "), "{sync}");
            assert!(sync.contains(" s3://echo-bucket/ --delete"), "{sync}");
            assert!(sync.contains("--exclude _headers"), "{sync}");
        }
        let long = syncs
            .iter()
            .filter(|s| s.contains("max-age=31536000, immutable"))
            .count();
        assert_eq!(long, 1, "{record}");
        assert!(
            syncs.iter().any(|s| s.contains("--include *.[0-9a-f]")),
            "{record}"
        );
        let gzipped = syncs
            .iter()
            .filter(|s| s.contains("--content-encoding gzip"))
            .count();
        assert_eq!(gzipped, if precompress { 2 } else { 0 }, "{record}");
        if !precompress {
            assert!(
                syncs.iter().all(|s| s.contains("aws s3 sync public/ ")),
                "{record}"
            );
        }
    }
}
