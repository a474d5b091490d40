//! `concur lsp` end to end: spawn the real binary and speak JSON-RPC over its stdio, as an editor
//! does. Every wait has a timeout, and the server is killed when a test ends, so nothing hangs.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The longest any single wait may take before the test fails.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A running `concur lsp` and the messages it sent that no wait has taken yet.
struct Lsp {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    backlog: Vec<Value>,
    next_id: i64,
}

impl Lsp {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_concur"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn concur lsp");
        let stdin = child.stdin.take().expect("stdin piped");
        let stdout = child.stdout.take().expect("stdout piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(msg) = read_frame(&mut reader) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        Lsp {
            child,
            stdin,
            rx,
            backlog: Vec::new(),
            next_id: 1,
        }
    }

    /// Sends a raw body with a correct frame.
    fn send_raw(&mut self, body: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).expect("write header");
        self.stdin.write_all(body).expect("write body");
        self.stdin.flush().expect("flush");
    }

    fn send(&mut self, msg: &Value) {
        self.send_raw(msg.to_string().as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait_for(&format!("response to {method}"), |m| {
            m["id"] == json!(id) && m.get("method").is_none()
        })
    }

    /// Waits for the first message (earlier ones not yet taken included) that `matches`.
    fn wait_for(&mut self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&matches) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(msg) if matches(&msg) => return msg,
                Ok(msg) => self.backlog.push(msg),
                Err(_) => panic!("timed out waiting for {what}; got {:#?}", self.backlog),
            }
        }
    }

    /// Waits for the diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let msg = self.wait_for(&format!("diagnostics for {uri} v{version}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        msg["params"]["diagnostics"]
            .as_array()
            .expect("diagnostics array")
            .clone()
    }

    fn initialize(&mut self) -> Value {
        self.initialize_with(json!({}))
    }

    fn initialize_with(&mut self, capabilities: Value) -> Value {
        let root = std::env::temp_dir();
        let response = self.request(
            "initialize",
            json!({ "processId": null, "rootUri": format!("file://{}", root.display()), "capabilities": capabilities }),
        );
        self.notify("initialized", json!({}));
        response
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "rust", "version": 1, "text": text } }),
        );
    }

    fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }),
        );
    }

    /// `shutdown` then `exit`; the server must end on its own with status 0.
    fn shutdown(mut self) -> ExitStatus {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        assert!(response.get("error").is_none(), "{response}");
        self.exit()
    }

    /// Sends `exit` and waits for the server to end.
    fn exit(mut self) -> ExitStatus {
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Lsp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_frame(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The byte offset of an LSP position (UTF-16 columns), as a client computes it.
fn offset(text: &str, line: u64, character: u64) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line as usize)
        .map(str::len)
        .sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += c.len_utf16() as u64;
    }
    text.len()
}

/// Applies `TextEdit`s as a client does: from the last to the first.
fn apply(text: &str, edits: &[Value]) -> String {
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            let at = |p: &Value| {
                offset(
                    text,
                    p["line"].as_u64().expect("line"),
                    p["character"].as_u64().expect("character"),
                )
            };
            (
                at(&e["range"]["start"]),
                at(&e["range"]["end"]),
                e["newText"].as_str().expect("newText"),
            )
        })
        .collect();
    edits.sort_by_key(|&(start, end, _)| std::cmp::Reverse((start, end)));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, new);
    }
    out
}

fn range(start: (u64, u64), end: (u64, u64)) -> Value {
    json!({ "start": { "line": start.0, "character": start.1 },
            "end": { "line": end.0, "character": end.1 } })
}

/// A tokio file with one blocking sleep after non-ASCII text on the same line (`é` is one
/// UTF-16 unit, `🦀` two): the finding starts at UTF-16 column 21 of line 3.
const SLEEPY: &str = "use tokio::sync::Mutex;\n\nasync fn handler(m: &Mutex<u8>) {\n    let café = \"🦀\"; std::thread::sleep(std::time::Duration::from_millis(5));\n    let _g = m.lock().await;\n}\n";

const URI: &str = "file:///tmp/concur-lsp-test/src/sleepy.rs";

#[test]
fn diagnostics_then_quick_fix_then_clean() {
    let mut lsp = Lsp::start();
    let init = lsp.initialize();
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["positionEncoding"], "utf-16");

    lsp.open(URI, SLEEPY);
    let diags = lsp.diagnostics(URI, 1);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let diag = &diags[0];
    assert_eq!(diag["range"], range((3, 21), (3, 76)));
    assert_eq!(diag["code"], "blocking_call_in_async");
    assert_eq!(diag["source"], "concur");
    assert_eq!(diag["severity"], 2);
    assert_eq!(
        diag["codeDescription"]["href"],
        "https://github.com/concur-lint/concur/blob/main/rules/blocking_call_in_async.md"
    );

    let actions = lsp.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": URI }, "range": range((3, 30), (3, 30)),
                "context": { "diagnostics": diags } }),
    );
    let actions = actions["result"].as_array().expect("actions").clone();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        titles,
        [
            "use `tokio::time::sleep(..).await`",
            "suppress `blocking_call_in_async` on this line"
        ]
    );
    for action in &actions {
        assert_eq!(action["kind"], "quickfix");
    }

    // The suppression comment goes at the end of the finding's line.
    let suppress = actions[1]["edit"]["changes"][URI]
        .as_array()
        .expect("edits");
    let suppressed = apply(SLEEPY, suppress);
    assert!(
        suppressed.contains("from_millis(5)); // concur: ignore[blocking_call_in_async]\n"),
        "{suppressed}"
    );

    // Apply the fix as incremental changes, last edit first so earlier positions stay valid.
    let edits = actions[0]["edit"]["changes"][URI]
        .as_array()
        .expect("edits")
        .clone();
    let fixed = apply(SLEEPY, &edits);
    assert!(fixed.contains(
        "let café = \"🦀\"; tokio::time::sleep(std::time::Duration::from_millis(5)).await;"
    ));
    let mut sorted = edits.clone();
    sorted.sort_by_key(|e| {
        std::cmp::Reverse((
            e["range"]["start"]["line"].as_u64(),
            e["range"]["start"]["character"].as_u64(),
        ))
    });
    let changes: Vec<Value> = sorted
        .iter()
        .map(|e| json!({ "range": e["range"], "text": e["newText"] }))
        .collect();
    lsp.change(URI, 2, Value::Array(changes));
    assert_eq!(lsp.diagnostics(URI, 2), Vec::<Value>::new(), "fixed");

    // Closing clears the document's diagnostics.
    lsp.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": URI } }),
    );
    let cleared = lsp.wait_for("diagnostics cleared on close", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"].is_null()
    });
    assert_eq!(cleared["params"]["diagnostics"], json!([]));

    assert!(lsp.shutdown().success(), "exit status 0 after shutdown");
}

#[test]
fn bad_messages_get_error_responses_and_the_server_survives() {
    let mut lsp = Lsp::start();
    let early = lsp.request("textDocument/codeAction", json!({}));
    assert_eq!(early["error"]["code"], -32002, "not initialized: {early}");
    lsp.initialize();

    lsp.send_raw(b"{ this is not json");
    let parse = lsp.wait_for("parse error", |m| m["error"]["code"] == -32700);
    assert_eq!(parse["id"], Value::Null);

    lsp.send(&json!({ "jsonrpc": "2.0", "id": 77, "method": 5 }));
    let invalid = lsp.wait_for("invalid request", |m| m["id"] == 77);
    assert_eq!(invalid["error"]["code"], -32600, "{invalid}");

    let unknown = lsp.request("textDocument/hover", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");

    let bad_params = lsp.request("textDocument/codeAction", json!({ "textDocument": 3 }));
    assert_eq!(bad_params["error"]["code"], -32602, "{bad_params}");

    let unopened = lsp.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": "file:///nowhere.rs" }, "range": range((0, 0), (0, 0)),
                "context": { "diagnostics": [] } }),
    );
    assert_eq!(unopened["error"]["code"], -32803, "{unopened}");

    // A change to a document never opened, and an unknown notification, are ignored.
    lsp.change("file:///nowhere.rs", 2, json!([{ "text": "fn x() {}" }]));
    lsp.notify("concur/unknown", json!({}));

    // Still serving.
    lsp.open(URI, SLEEPY);
    assert_eq!(lsp.diagnostics(URI, 1).len(), 1);
    let twice = lsp.request("initialize", json!({ "capabilities": {} }));
    assert_eq!(twice["error"]["code"], -32600, "{twice}");
    assert!(lsp.shutdown().success());
}

#[test]
fn a_thousand_rapid_changes_are_coalesced() {
    let mut lsp = Lsp::start();
    lsp.initialize();
    lsp.open(URI, SLEEPY);
    assert_eq!(lsp.diagnostics(URI, 1).len(), 1);
    // Type 1,000 characters of a comment on a new first line, one change each.
    lsp.change(
        URI,
        2,
        json!([{ "range": range((0, 0), (0, 0)), "text": "//\n" }]),
    );
    for version in 3..=1002 {
        lsp.change(
            URI,
            version,
            json!([{ "range": range((0, 2), (0, 2)), "text": "x" }]),
        );
    }
    let diags = lsp.diagnostics(URI, 1002);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(
        diags[0]["range"],
        range((4, 21), (4, 76)),
        "moved one line down"
    );
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": URI }, "range": range((4, 21), (4, 21)),
                "context": { "diagnostics": diags } }),
    );
    assert_eq!(actions["result"].as_array().map(Vec::len), Some(2));
    assert!(lsp.shutdown().success());
}

#[test]
fn findings_are_kept_while_the_text_does_not_parse() {
    let mut lsp = Lsp::start();
    lsp.initialize();
    lsp.open(URI, SLEEPY);
    assert_eq!(lsp.diagnostics(URI, 1).len(), 1);
    // Mid-typing: two new lines above, one of them unfinished.
    lsp.change(
        URI,
        2,
        json!([{ "range": range((0, 0), (0, 0)), "text": "fn half(\n\n" }]),
    );
    let kept = lsp.diagnostics(URI, 2);
    assert_eq!(kept.len(), 1, "no parse error while typing: {kept:#?}");
    assert_eq!(kept[0]["code"], "blocking_call_in_async");
    assert_eq!(
        kept[0]["range"],
        range((5, 21), (5, 76)),
        "moved with the edit"
    );
    // Only quick fixes that still apply are offered: the suppression, not the stale rewrite.
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": URI }, "range": range((5, 21), (5, 21)),
                "context": { "diagnostics": kept } }),
    );
    let titles: Vec<Value> = actions["result"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| a["title"].clone())
        .collect();
    assert_eq!(
        titles,
        [json!("suppress `blocking_call_in_async` on this line")]
    );

    // On save the parse error shows, with the kept findings.
    lsp.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": URI } }),
    );
    let saved = lsp.diagnostics(URI, 2);
    let codes: Vec<&Value> = saved.iter().map(|d| &d["code"]).collect();
    assert_eq!(
        codes,
        [&json!("blocking_call_in_async"), &json!("parse_error")]
    );

    // Finishing the line: fresh findings, parse error gone.
    lsp.change(
        URI,
        3,
        json!([{ "range": range((0, 8), (0, 8)), "text": ") {}" }]),
    );
    let fresh = lsp.diagnostics(URI, 3);
    assert_eq!(fresh.len(), 1, "{fresh:#?}");
    assert_eq!(fresh[0]["range"], range((5, 21), (5, 76)));
    assert!(lsp.shutdown().success());
}

/// Not a timed assertion: prints how long diagnostics take to arrive after a change to a
/// 2,000-line file (`cargo test --release --test lsp latency -- --nocapture` for real numbers).
#[test]
fn latency_on_a_2000_line_file() {
    let block = "async fn handler_N(path: &str) -> std::io::Result<usize> {\n    let text = std::fs::read_to_string(path)?;\n    let mut total = 0;\n    for line in text.lines() {\n        total += line.len();\n    }\n    Ok(total)\n}\n\nfn worker_N(items: Vec<u32>) -> u32 {\n    let handle = std::thread::spawn(move || items.iter().sum::<u32>());\n    handle.join().unwrap_or(0)\n}\n\n#[derive(Debug, Default)]\nstruct State_N {\n    hits: u64,\n}\n\n";
    let text: String = (0..100)
        .map(|i| block.replace('N', &i.to_string()))
        .collect();
    assert_eq!(text.lines().count(), 1900);
    let text = format!("{text}{}", "// padding\n".repeat(100));
    let mut lsp = Lsp::start();
    lsp.initialize();
    lsp.open(URI, &text);
    let first = lsp.diagnostics(URI, 1).len();
    assert!(first >= 100, "{first} findings");
    let mut times = Vec::new();
    for version in 2..=21 {
        let start = Instant::now();
        lsp.change(
            URI,
            version,
            json!([{ "range": range((1000, 0), (1000, 0)), "text": "// edit\n" }]),
        );
        let diags = lsp.diagnostics(URI, version);
        times.push(start.elapsed());
        assert_eq!(diags.len(), first);
    }
    times.sort();
    println!(
        "concur lsp latency, 2,000-line file, change to diagnostics ({first} findings): median {:?}, max {:?} (debounce {:?} included)",
        times[times.len() / 2],
        times[times.len() - 1],
        concur::app::lsp::DEBOUNCE
    );
    assert!(lsp.shutdown().success());
}

#[test]
fn config_changes_relint_open_documents() {
    let mut lsp = Lsp::start();
    lsp.initialize_with(
        json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } }),
    );
    let register = lsp.wait_for("watch registration", |m| {
        m["method"] == "client/registerCapability"
    });
    let watchers = &register["params"]["registrations"][0]["registerOptions"]["watchers"];
    assert_eq!(watchers[0]["globPattern"], "**/concur.toml", "{register}");
    lsp.send(&json!({ "jsonrpc": "2.0", "id": register["id"], "result": null }));

    lsp.open(URI, SLEEPY);
    assert_eq!(lsp.diagnostics(URI, 1).len(), 1);
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": "file:///tmp/concur.toml", "type": 2 }] }),
    );
    assert_eq!(
        lsp.diagnostics(URI, 1).len(),
        1,
        "re-linted and published again"
    );
    assert!(lsp.shutdown().success());
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let mut lsp = Lsp::start();
    lsp.initialize();
    assert_eq!(lsp.exit().code(), Some(1));
}

#[test]
fn each_document_gets_the_configuration_of_its_own_path() {
    // As on the command line: the nearest concur.toml above the file applies (not the one of
    // the workspace root), and a file its configuration excludes gets no findings.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("quiet")).expect("mkdir");
    std::fs::write(
        dir.path().join("quiet/concur.toml"),
        "[rules]\nblocking_call_in_async = \"allow\"\n",
    )
    .expect("write config");
    std::fs::write(
        dir.path().join("concur.toml"),
        "exclude = [\"generated/\"]\n",
    )
    .expect("write config");
    let uri = |rel: &str| format!("file://{}/{rel}", dir.path().display());
    let mut lsp = Lsp::start();
    lsp.initialize();
    lsp.open(&uri("loud.rs"), SLEEPY);
    assert_eq!(lsp.diagnostics(&uri("loud.rs"), 1).len(), 1);
    lsp.open(&uri("quiet/a.rs"), SLEEPY);
    assert_eq!(lsp.diagnostics(&uri("quiet/a.rs"), 1).len(), 0);
    lsp.open(&uri("generated/b.rs"), SLEEPY);
    assert_eq!(lsp.diagnostics(&uri("generated/b.rs"), 1).len(), 0);
    assert!(lsp.shutdown().success());
}

#[test]
fn an_edit_to_a_helpers_file_republishes_its_callers_findings() {
    // The package's model follows the handler's call into store.rs; editing store.rs so that
    // it no longer blocks clears the finding shown in lib.rs, which was not edited.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("src")).expect("mkdir");
    let write = |rel: &str, text: &str| std::fs::write(dir.path().join(rel), text).expect("write");
    write(
        "Cargo.toml",
        "[package]\nname = \"chain\"\nversion = \"0.1.0\"\n",
    );
    let lib = "mod store;\n\npub async fn handler() {\n    store::save();\n}\n";
    let blocking = "pub fn save() {\n    let _ = std::fs::write(\"x\", \"y\");\n}\n";
    write("src/lib.rs", lib);
    write("src/store.rs", blocking);
    let uri = |rel: &str| format!("file://{}/{rel}", dir.path().display());
    let mut lsp = Lsp::start();
    lsp.initialize();
    lsp.open(&uri("src/lib.rs"), lib);
    let found = lsp.diagnostics(&uri("src/lib.rs"), 1);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["code"], "blocking_call_in_async");
    let related = found[0]["relatedInformation"]
        .as_array()
        .expect("the chain");
    assert!(
        related[0]["location"]["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("src/store.rs")),
        "{related:#?}"
    );
    lsp.open(&uri("src/store.rs"), blocking);
    assert_eq!(lsp.diagnostics(&uri("src/store.rs"), 1).len(), 0);
    lsp.change(
        &uri("src/store.rs"),
        2,
        json!([{ "text": "pub fn save() {}\n" }]),
    );
    assert_eq!(lsp.diagnostics(&uri("src/store.rs"), 2).len(), 0);
    let republished = lsp.wait_for("lib.rs republished", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri("src/lib.rs").as_str()
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(Vec::is_empty)
    });
    assert_eq!(republished["params"]["version"], 1);
    assert!(lsp.shutdown().success());
}

#[test]
fn a_bad_config_is_shown_to_the_user_and_suppressions_get_a_reason_placeholder() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("strict")).expect("mkdir");
    std::fs::write(dir.path().join("concur.toml"), "selct = [\"perf\"]\n").expect("write");
    std::fs::write(
        dir.path().join("strict/concur.toml"),
        "require-reason = true\n",
    )
    .expect("write");
    let uri = |rel: &str| format!("file://{}/{rel}", dir.path().display());
    let mut lsp = Lsp::start();
    lsp.initialize();
    lsp.open(&uri("a.rs"), SLEEPY);
    let shown = lsp.wait_for("window/showMessage", |m| {
        m["method"] == "window/showMessage"
    });
    assert_eq!(shown["params"]["type"], 1, "an error: {shown}");
    let message = shown["params"]["message"].as_str().unwrap_or("");
    assert!(message.contains("selct"), "{message}");
    // With `require-reason`, the suppress quick fix leaves a reason to fill in.
    lsp.open(&uri("strict/b.rs"), SLEEPY);
    let diags = lsp.diagnostics(&uri("strict/b.rs"), 1);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri("strict/b.rs") }, "range": diags[0]["range"],
                "context": { "diagnostics": diags } }),
    );
    let actions = actions["result"].as_array().expect("actions").clone();
    let suppress = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("suppress"))
        })
        .expect("a suppress action");
    let edit = suppress["edit"]["changes"][uri("strict/b.rs")][0]["newText"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(
        edit.ends_with("// concur: ignore[blocking_call_in_async] -- reason"),
        "{edit}"
    );
    assert!(lsp.shutdown().success());
}
