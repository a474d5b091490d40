//! Configuration end to end: `concur.toml` (nearest wins), Cargo.toml metadata tables,
//! `--config`, `--isolated`, levels and exit codes, select/ignore, exclude globs, rule options,
//! command-line overrides, errors with positions and suggestions, and `concur config --show`.

mod common;

use common::{BLOCKING, concur, stderr, stdout, write_files};

/// One `thread_per_item` finding on line 4.
const PER_ITEM: &str = "fn per_line(input: &str) {\n    for line in input.lines() {\n        let line = line.to_string();\n        let _h = std::thread::spawn(move || line.len());\n    }\n}\n";

fn rules_in(output: &std::process::Output) -> Vec<String> {
    stdout(output)
        .lines()
        .filter_map(|l| {
            let start = l.find('[')? + 1;
            let end = l[start..].find(']')? + start;
            Some(format!(
                "{}:{}",
                l.split(':').next().unwrap_or(""),
                &l[start..end]
            ))
        })
        .collect()
}

#[test]
fn nearest_concur_toml_wins() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(
        dir.path(),
        &[
            (
                "concur.toml",
                "[rules]\nblocking_call_in_async = \"allow\"\n",
            ),
            ("a.rs", BLOCKING),
            (
                "sub/concur.toml",
                "[rules]\nblocking_call_in_async = \"deny\"\n",
            ),
            ("sub/b.rs", BLOCKING),
        ],
    );
    let out = concur(dir.path(), &["--format", "short", "."]);
    assert_eq!(
        stdout(&out),
        "sub/b.rs:2:5: error[blocking_call_in_async]: `std::thread::sleep` blocks the executor thread\n"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn deny_is_an_error_and_exit_zero_only_forgives_warnings() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), &[("a.rs", BLOCKING), ("b.rs", PER_ITEM)]);
    let warn_only = concur(dir.path(), &["--format", "short", "--exit-zero", "."]);
    assert_eq!(warn_only.status.code(), Some(0), "{}", stdout(&warn_only));
    assert_eq!(rules_in(&warn_only).len(), 2);
    write_files(
        dir.path(),
        &[("concur.toml", "[rules]\nthread_per_item = \"deny\"\n")],
    );
    let denied = concur(dir.path(), &["--format", "short", "--exit-zero", "."]);
    assert_eq!(denied.status.code(), Some(1));
    assert!(
        stdout(&denied).contains("b.rs:4:18: error[thread_per_item]"),
        "{}",
        stdout(&denied)
    );
    assert!(stdout(&denied).contains("a.rs:2:5: warning[blocking_call_in_async]"));
    let human = concur(dir.path(), &["--color", "never", "."]);
    assert!(
        stdout(&human).contains("error[thread_per_item]"),
        "{}",
        stdout(&human)
    );
}

#[test]
fn cargo_metadata_tables_configure_packages_and_workspaces() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(
        dir.path(),
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"app\", \"lib\"]\n\n[workspace.metadata.concur]\nignore = [\"blocking_call_in_async\"]\n",
            ),
            (
                "app/Cargo.toml",
                "[package]\nname = \"app\"\n\n[package.metadata.concur.rules]\nblocking_call_in_async = \"deny\"\n",
            ),
            ("app/src/main.rs", BLOCKING),
            ("lib/Cargo.toml", "[package]\nname = \"lib\"\n"),
            ("lib/src/lib.rs", BLOCKING),
        ],
    );
    let out = concur(dir.path(), &["--format", "short", "."]);
    assert_eq!(
        rules_in(&out),
        ["app/src/main.rs:blocking_call_in_async"],
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("error[blocking_call_in_async]"));
}

#[test]
fn config_flag_and_isolated() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(
        dir.path(),
        &[
            ("concur.toml", "ignore = [\"blocking_call_in_async\"]\n"),
            ("other.toml", "[rules]\nblocking_call_in_async = \"deny\"\n"),
            ("a.rs", BLOCKING),
        ],
    );
    assert_eq!(
        stdout(&concur(dir.path(), &["--format", "short", "a.rs"])),
        ""
    );
    let given = concur(
        dir.path(),
        &["--format", "short", "--config", "other.toml", "a.rs"],
    );
    assert!(
        stdout(&given).contains("error[blocking_call_in_async]"),
        "{}",
        stdout(&given)
    );
    let isolated = concur(dir.path(), &["--format", "short", "--isolated", "a.rs"]);
    assert!(
        stdout(&isolated).contains("warning[blocking_call_in_async]"),
        "{}",
        stdout(&isolated)
    );
}

#[test]
fn select_ignore_and_command_line_levels_win_over_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(
        dir.path(),
        &[
            (
                "concur.toml",
                "select = [\"thread_per_item\"]\n\n[rules]\nthread_per_item = \"deny\"\n",
            ),
            ("a.rs", BLOCKING),
            ("b.rs", PER_ITEM),
        ],
    );
    let file_only = concur(dir.path(), &["--format", "short", "."]);
    assert_eq!(rules_in(&file_only), ["b.rs:thread_per_item"]);
    let warn = concur(
        dir.path(),
        &["--format", "short", "-W", "thread_per_item", "."],
    );
    assert!(
        stdout(&warn).contains("warning[thread_per_item]"),
        "{}",
        stdout(&warn)
    );
    let select = concur(
        dir.path(),
        &[
            "--format",
            "short",
            "--select",
            "blocking_call_in_async,thread_per_item",
            ".",
        ],
    );
    assert_eq!(
        rules_in(&select),
        ["a.rs:blocking_call_in_async", "b.rs:thread_per_item"]
    );
    let allow = concur(
        dir.path(),
        &["--format", "short", "-A", "thread_per_item", "."],
    );
    assert_eq!(stdout(&allow), "");
    assert_eq!(allow.status.code(), Some(0));
    let deny = concur(
        dir.path(),
        &[
            "--format",
            "short",
            "--isolated",
            "--ignore",
            "thread_per_item",
            "-D",
            "blocking_call_in_async",
            ".",
        ],
    );
    assert_eq!(rules_in(&deny), ["a.rs:blocking_call_in_async"]);
    assert!(stdout(&deny).contains("error["));
}

#[test]
fn exclude_globs_are_relative_to_the_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(
        dir.path(),
        &[
            ("concur.toml", "exclude = [\"generated/\", \"*_pb.rs\"]\n"),
            ("src/a.rs", BLOCKING),
            ("src/generated/b.rs", BLOCKING),
            ("src/api_pb.rs", BLOCKING),
        ],
    );
    let out = concur(dir.path(), &["--format", "short", "src"]);
    assert_eq!(
        rules_in(&out),
        ["src/a.rs:blocking_call_in_async"],
        "{}",
        stdout(&out)
    );
}

#[test]
fn blocking_functions_option_teaches_the_catalog() {
    let dir = tempfile::tempdir().expect("tempdir");
    let code = "use crate::store::read_all as load;\n\nasync fn handler() {\n    let data = load(\"x\");\n}\n";
    write_files(dir.path(), &[("a.rs", code)]);
    assert_eq!(
        stdout(&concur(dir.path(), &["--format", "short", "a.rs"])),
        ""
    );
    write_files(
        dir.path(),
        &[(
            "concur.toml",
            "[options]\nblocking-functions = [\"crate::store::read_all\"]\n",
        )],
    );
    let out = concur(dir.path(), &["--format", "short", "a.rs"]);
    assert_eq!(
        rules_in(&out),
        ["a.rs:blocking_call_in_async"],
        "{}",
        stdout(&out)
    );
}

fn config_error(config: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), &[("concur.toml", config), ("a.rs", BLOCKING)]);
    let out = concur(dir.path(), &["a.rs"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert_eq!(stdout(&out), "", "no report on a config error");
    stderr(&out)
}

#[test]
fn bad_config_is_an_error_with_position_and_closest_name() {
    let key = config_error("exlude = [\"x\"]\n");
    assert!(
        key.contains("concur.toml:1:1: unknown key `exlude`"),
        "{key}"
    );
    assert!(key.contains("did you mean `exclude`?"), "{key}");
    let rule = config_error("\n[rules]\nthread_per_itme = \"deny\"\n");
    assert!(
        rule.contains("concur.toml:3:1: unknown rule or category `thread_per_itme`"),
        "{rule}"
    );
    assert!(rule.contains("did you mean `thread_per_item`?"), "{rule}");
    let level = config_error("[rules]\nthread_per_item = \"error\"\n");
    assert!(
        level.contains("concur.toml:2:19: invalid level for `thread_per_item`"),
        "{level}"
    );
    assert!(level.contains("`allow`, `warn`, `deny`"), "{level}");
    let select = config_error("select = [\"blocking_call_in_asinc\"]\n");
    assert!(select.contains("concur.toml:1:11:"), "{select}");
    assert!(
        select.contains("did you mean `blocking_call_in_async`?"),
        "{select}"
    );
    let option = config_error("[options]\nheavy-loop-bount = 3\n");
    assert!(
        option.contains("did you mean `heavy-loop-bound`?"),
        "{option}"
    );
    let syntax = config_error("select = [\n");
    assert!(syntax.contains("concur.toml:"), "{syntax}");
}

#[test]
fn unknown_rule_on_the_command_line_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(dir.path(), &[("a.rs", BLOCKING)]);
    let out = concur(dir.path(), &["-D", "spawn_than_join", "a.rs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `spawn_then_join`?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn config_show_prints_values_and_their_origin() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(
        dir.path(),
        &[
            (
                "concur.toml",
                "require-reason = true\n\n[rules]\nthread_per_item = \"deny\"\n\n[options]\nlock-types = [\"my::Lock\"]\n",
            ),
            ("src/a.rs", BLOCKING),
        ],
    );
    let out = concur(
        dir.path(),
        &["config", "--show", "-A", "spawn_then_join", "src"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("concur.toml"), "{text}");
    let line = |key: &str| {
        text.lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        line("thread_per_item").contains("\"deny\"")
            && line("thread_per_item").contains("concur.toml:4:19"),
        "{text}"
    );
    assert!(
        line("spawn_then_join").contains("\"allow\"") && line("spawn_then_join").contains("`-A`"),
        "{text}"
    );
    assert!(
        line("blocking_call_in_async").contains("\"warn\"")
            && line("blocking_call_in_async").contains("default"),
        "{text}"
    );
    assert!(
        line("require-reason").contains("true")
            && line("require-reason").contains("concur.toml:1:18"),
        "{text}"
    );
    assert!(line("lock-types").contains("my::Lock"), "{text}");
}

#[test]
fn heavy_loop_bound_sets_the_literal_trip_count_of_a_heavy_loop() {
    let dir = tempfile::tempdir().expect("tempdir");
    let code = "async fn checksum() -> u64 {\n    let mut sum = 0u64;\n    for i in 0..5000u64 {\n        sum = sum.wrapping_mul(31).wrapping_add(i);\n    }\n    sum\n}\n";
    write_files(dir.path(), &[("a.rs", code)]);
    assert_eq!(
        stdout(&concur(dir.path(), &["--format", "short", "a.rs"])),
        "",
        "5,000 iterations are below the default bound"
    );
    write_files(
        dir.path(),
        &[("concur.toml", "[options]\nheavy-loop-bound = 1000\n")],
    );
    let out = concur(dir.path(), &["--format", "short", "a.rs"]);
    assert_eq!(
        rules_in(&out),
        ["a.rs:cpu_heavy_in_async"],
        "{}",
        stdout(&out)
    );
}

#[test]
fn blocking_functions_name_the_packages_own_functions_in_every_spelling() {
    // The package's own `store::read_all` blocks on something concur does not know (a
    // database driver, say): configured as `crate::store::read_all`, `my_app::store::read_all`
    // or plain `read_all`, every call of it from async code is reported, through helpers too.
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(
        dir.path(),
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"my-app\"\nversion = \"0.1.0\"\n",
            ),
            (
                "src/lib.rs",
                "mod store;\n\npub async fn handler() {\n    store::read_all();\n}\n\npub async fn indirect() {\n    load();\n}\n\nfn load() {\n    store::read_all();\n}\n",
            ),
            (
                "src/store.rs",
                "pub fn read_all() {\n    // talks to a database\n}\n",
            ),
        ],
    );
    for entry in [
        "crate::store::read_all",
        "my_app::store::read_all",
        "read_all",
    ] {
        write_files(
            dir.path(),
            &[(
                "concur.toml",
                &format!(
                    "[options]\nblocking-functions = [\"{entry}\", \"crate::nowhere::gone\"]\n"
                ),
            )],
        );
        let out = concur(dir.path(), &["--no-cache", "--format", "short", "src"]);
        assert_eq!(
            rules_in(&out),
            [
                "src/lib.rs:blocking_call_in_async",
                "src/lib.rs:blocking_call_in_async"
            ],
            "{entry}: {}",
            stdout(&out)
        );
        let err = stderr(&out);
        assert!(
            err.contains("warning: options.blocking-functions entry `crate::nowhere::gone` matches no call or function"),
            "{err}"
        );
        assert!(!err.contains(&format!("`{entry}` matches")), "{err}");
    }
}

/// A detached thread (`pedantic`, off by default), an unwaited child (`correctness`, an
/// error by default) and a thread per item (`perf`).
const THREE_CATEGORIES: &str = "fn start() {\n    std::thread::spawn(|| work());\n    std::process::Command::new(\"true\").spawn().unwrap();\n}\nfn work() {}\n";

#[test]
fn categories_are_accepted_wherever_rule_names_are() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(
        dir.path(),
        &[("a.rs", THREE_CATEGORIES), ("b.rs", PER_ITEM)],
    );
    let run = |args: &[&str]| {
        let mut all = vec!["--isolated", "--format", "short"];
        all.extend_from_slice(args);
        all.push(".");
        let out = concur(dir.path(), &all);
        stdout(&out)
            .lines()
            .map(|l| l.split(": ").nth(1).unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    // The default set: pedantic is off, correctness is an error.
    assert_eq!(
        run(&[]),
        ["error[unwaited_child]", "warning[thread_per_item]"]
    );
    assert_eq!(run(&["--select", "perf"]), ["warning[thread_per_item]"]);
    assert_eq!(
        run(&["--ignore", "correctness"]),
        ["warning[thread_per_item]"]
    );
    assert_eq!(
        run(&["-W", "pedantic"]),
        [
            "warning[detached_thread]",
            "error[unwaited_child]",
            "warning[thread_per_item]"
        ]
    );
    assert_eq!(
        run(&["-W", "correctness", "-A", "perf"]),
        ["warning[unwaited_child]"]
    );
    assert_eq!(
        run(&["--select", "pedantic,correctness"]),
        ["warning[detached_thread]", "error[unwaited_child]"]
    );

    write_files(
        dir.path(),
        &[(
            "concur.toml",
            "ignore = [\"perf\"]\n[rules]\npedantic = \"deny\"\ncorrectness = \"warn\"\n",
        )],
    );
    let out = concur(dir.path(), &["--format", "short", "."]);
    let text = stdout(&out);
    let found: Vec<&str> = text
        .lines()
        .map(|l| l.split(": ").nth(1).unwrap_or_default())
        .collect();
    assert_eq!(found, ["error[detached_thread]", "warning[unwaited_child]"]);

    let typo = concur(dir.path(), &["--isolated", "--select", "perff", "."]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        stderr(&typo).contains("unknown rule or category `perff`")
            && stderr(&typo).contains("did you mean `perf`?"),
        "{}",
        stderr(&typo)
    );
}

#[test]
fn rules_lists_each_rules_category_and_the_categories() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = concur(dir.path(), &["rules"]);
    let text = stdout(&out);
    let line = |rule: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{rule} ")))
            .unwrap_or_default()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
    };
    assert_eq!(line("double_lock"), ["double_lock", "correctness", "error"]);
    assert_eq!(
        line("detached_thread"),
        ["detached_thread", "pedantic", "off"]
    );
    assert_eq!(
        line("shell_command_injection"),
        ["shell_command_injection", "security", "warning"]
    );
    for category in concur::rules::CATEGORIES {
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with(category.name())),
            "{}",
            category.name()
        );
    }
    let explain = concur(dir.path(), &["explain", "double_lock"]);
    assert!(stdout(&explain).contains("Category: `correctness`"));
}

/// An `if let` whose `else` branch takes the scrutinee's lock again: a deadlock before edition
/// 2024 (the scrutinee's guard lives through the `else`), fine from 2024 on.
const IF_LET_ELSE: &str = "use std::sync::Mutex;\n\nfn ensure(m: &Mutex<Vec<u32>>) {\n    if let Some(_) = m.lock().unwrap().first() {\n        println!(\"present\");\n    } else {\n        m.lock().unwrap().push(0);\n    }\n}\n";

#[test]
fn the_edition_decides_how_long_temporaries_live() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(
        dir.path(),
        &[
            ("loose/a.rs", IF_LET_ELSE),
            ("configured/concur.toml", "edition = \"2024\"\n"),
            ("configured/a.rs", IF_LET_ELSE),
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"new\"]\n\n[workspace.package]\nedition = \"2024\"\n",
            ),
            (
                "new/Cargo.toml",
                "[package]\nname = \"new\"\nversion = \"0.1.0\"\nedition.workspace = true\n",
            ),
            ("new/src/lib.rs", IF_LET_ELSE),
            (
                "old/Cargo.toml",
                "[package]\nname = \"old\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
            ),
            ("old/src/lib.rs", IF_LET_ELSE),
        ],
    );
    let run = |args: &[&str]| {
        let out = concur(dir.path(), &[&["--format", "short"], args].concat());
        rules_in(&out)
    };
    // Loose files: 2021 by default, the configuration's edition, or `--edition`.
    assert_eq!(run(&["loose"]), ["loose/a.rs:double_lock"]);
    assert!(run(&["configured"]).is_empty());
    assert!(run(&["--edition", "2024", "loose"]).is_empty());
    // A package's own edition, also inherited from its workspace, wins over `--edition`.
    assert!(run(&["new"]).is_empty());
    assert_eq!(
        run(&["--edition", "2024", "old"]),
        ["old/src/lib.rs:double_lock"]
    );
    // A bad value is an error that says what is accepted.
    let bad = concur(dir.path(), &["--edition", "2023", "loose"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(
        stderr(&bad).contains("2015, 2018, 2021 or 2024"),
        "{}",
        stderr(&bad)
    );
    write_files(
        dir.path(),
        &[("configured/concur.toml", "edition = 2024\n")],
    );
    let bad = concur(dir.path(), &["configured"]);
    assert!(
        stderr(&bad).contains("`edition` must be one of"),
        "{}",
        stderr(&bad)
    );
}
