//! `concur lsp`: a language server over stdio, for live findings and quick fixes in any editor.
//!
//! Synchronous on purpose (analysis is CPU-bound and fast): one thread reads and frames messages
//! ([`transport`]), the server thread handles them in order and lints a changed document once the
//! edits pause for [`DEBOUNCE`]. Documents are linted from the editor's buffer, never the disk.
//! Findings are only *converted* here ([`convert`]); the rules know nothing of the protocol.

mod convert;
mod transport;

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{CodeActionRequest, RegisterCapability, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern,
    InitializeParams, InitializeResult, MessageType, PositionEncodingKind,
    PublishDiagnosticsParams, Registration, RegistrationParams, SaveOptions, ServerCapabilities,
    ServerInfo, ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit, Uri, WorkspaceEdit,
};
use serde::de::DeserializeOwned;

use crate::app::config::Overrides;
use crate::app::driver::{self, Driver, RunSettings, Workspace};
use crate::app::options::Options;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::report::FileAnalysis;
use crate::report::names::PARSE_ERROR;
use crate::rules;
use crate::source::SourceFile;

/// How long edits must pause before a changed document is linted again.
pub const DEBOUNCE: Duration = Duration::from_millis(15);

/// The longest a changed document waits for a pause in the edits before it is linted anyway.
const MAX_DELAY: Duration = Duration::from_millis(300);

/// The id of the server's one request to the client: watching config files.
const WATCH_REQUEST: &str = "concur/watch-config";

/// Runs the language server on stdin/stdout until `exit` (or end of input). Exit status 0 after
/// a `shutdown`, 1 otherwise, as the protocol asks.
pub fn run() -> ExitCode {
    let (tx, rx) = mpsc::channel();
    // concur: ignore[detached_thread] -- the reader ends with stdin, and a client may never close its end
    std::thread::spawn(move || {
        if let Err(err) = transport::read_messages(std::io::stdin().lock(), &tx) {
            eprintln!("concur lsp: reading stdin: {err}");
        }
    });
    let server = std::thread::Builder::new()
        .name("concur-lsp".into())
        .stack_size(driver::ANALYSIS_STACK)
        .spawn(move || Server::new(driver::analyze_source).serve(&rx));
    match server.map(|handle| handle.join()) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(_)) | Err(_) => {
            eprintln!("concur lsp: the server thread failed");
            ExitCode::from(2)
        }
    }
}

/// How a document is walked (the first phase): `driver::analyze_source` (a test swaps in a
/// panicking one).
type AnalyzeFn = fn(&SourceFile, &Options) -> FileAnalysis;

/// Where the server is in the protocol's lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before `initialize`: only `initialize` and `exit` are accepted.
    Uninitialized,
    /// Serving.
    Running,
    /// After `shutdown`: only `exit` is accepted.
    ShutDown,
}

/// What caused a lint; decides whether a parse error is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trigger {
    /// The document was opened or saved: a parse error is shown.
    OpenOrSave,
    /// The buffer changed, or the config: a parse error is probably mid-typing and not shown.
    Edit,
}

/// One shown finding, kept in LSP coordinates so edits can move it.
#[derive(Debug, Clone)]
struct Finding {
    /// The rule name (or `parse_error`).
    rule: &'static str,
    /// What the client shows.
    diagnostic: lsp_types::Diagnostic,
    /// The suggested rewrite: title, edits, and whether it is safe.
    fix: Option<(String, Vec<TextEdit>, Applicability)>,
}

/// An open document: the editor's text and what concur last found in it.
#[derive(Debug)]
struct Document {
    /// The path the URI names (rules look at it, e.g. for `tests/`), never read.
    path: PathBuf,
    /// The client's version of the text.
    version: i32,
    /// The buffer as the editor has it.
    text: String,
    /// The findings shown, moved through every edit since they were computed.
    findings: Vec<Finding>,
    /// Whether `findings` were computed from exactly `text`, which parsed (fixes are offered
    /// only then).
    fresh: bool,
    /// When the text changed first and last since the last lint, if it has.
    pending: Option<(Instant, Instant)>,
    /// Whether the document's configuration requires a reason on suppressions (`-- why`).
    require_reason: bool,
}

/// The language server's state; handlers queue outgoing messages in `outbox`.
struct Server {
    phase: Phase,
    /// The configured driver: each document is linted with the configuration of its path, as
    /// the command line would lint it. Config files are re-read when one changes.
    driver: Driver,
    /// The packages of the documents: the crate-wide model each document is finished with.
    workspace: Workspace,
    docs: HashMap<Uri, Document>,
    outbox: Vec<Message>,
    analyze: AnalyzeFn,
    /// The last configuration error shown to the user, so an edit does not show it again.
    shown_config_error: Option<String>,
}

impl Server {
    fn new(analyze: AnalyzeFn) -> Self {
        Server {
            driver: Driver::new(Overrides::default(), RunSettings::default()),
            phase: Phase::Uninitialized,
            docs: HashMap::new(),
            outbox: Vec::new(),
            analyze,
            workspace: Workspace::default(),
            shown_config_error: None,
        }
    }

    /// The main loop: handle messages as they come, lint documents whose edits paused.
    fn serve(mut self, rx: &Receiver<Message>) -> u8 {
        loop {
            let next = match self.next_deadline() {
                Some(deadline) => {
                    match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                        Ok(msg) => Some(msg),
                        Err(RecvTimeoutError::Timeout) => None,
                        Err(RecvTimeoutError::Disconnected) => return 1,
                    }
                }
                None => match rx.recv() {
                    Ok(msg) => Some(msg),
                    Err(_) => return 1,
                },
            };
            let exit = match next {
                Some(msg) => self.handle_guarded(msg),
                None => {
                    self.lint_due(Instant::now());
                    None
                }
            };
            for msg in self.outbox.drain(..) {
                if let Err(err) = transport::write_message(&msg) {
                    eprintln!("concur lsp: writing stdout: {err}");
                    return 1;
                }
            }
            if let Some(code) = exit {
                return code;
            }
        }
    }

    /// Handles one message, turning a panic (a bug in concur) into a logged internal error and,
    /// for a request, an `InternalError` response: the server goes on.
    fn handle_guarded(&mut self, msg: Message) -> Option<u8> {
        let request = match &msg {
            Message::Request(req) => Some((req.id.clone(), req.method.clone())),
            _ => None,
        };
        match catch_unwind(AssertUnwindSafe(|| self.handle(msg))) {
            Ok(exit) => exit,
            Err(panic) => {
                let message = panic_message(&*panic);
                eprintln!("concur lsp: internal error (please report): {message}");
                if let Some((id, method)) = request {
                    let message = format!("internal error handling `{method}`: {message}");
                    self.reply_err(id, ErrorCode::InternalError, message);
                }
                None
            }
        }
    }

    /// Handles one message; `Some(code)` when the server must exit.
    fn handle(&mut self, msg: Message) -> Option<u8> {
        match msg {
            Message::Request(req) => self.on_request(req),
            Message::Notification(not) if not.method == "exit" => {
                return Some(if self.phase == Phase::ShutDown { 0 } else { 1 });
            }
            Message::Notification(not) => self.on_notification(not),
            Message::Response(resp) => {
                if let Err(err) = resp.response_result {
                    eprintln!(
                        "concur lsp: client answered {} with error: {}",
                        resp.id, err.message
                    );
                }
            }
        }
        None
    }

    fn reply_err(&mut self, id: RequestId, code: ErrorCode, message: String) {
        self.outbox
            .push(Response::new_err(id, code as i32, message).into());
    }

    fn on_request(&mut self, req: Request) {
        match (self.phase, req.method.as_str()) {
            (Phase::Uninitialized, "initialize") => self.initialize(req),
            (Phase::Uninitialized, _) => self.reply_err(
                req.id,
                ErrorCode::ServerNotInitialized,
                format!("`{}` before `initialize`", req.method),
            ),
            (Phase::ShutDown, _) => self.reply_err(
                req.id,
                ErrorCode::InvalidRequest,
                format!("`{}` after `shutdown`", req.method),
            ),
            (Phase::Running, "initialize") => self.reply_err(
                req.id,
                ErrorCode::InvalidRequest,
                "`initialize` sent twice".into(),
            ),
            (Phase::Running, "shutdown") => {
                self.phase = Phase::ShutDown;
                self.outbox.push(Response::new_ok(req.id, ()).into());
            }
            (Phase::Running, CodeActionRequest::METHOD) => {
                let Some((id, params)) = self.params::<CodeActionParams>(req) else {
                    return;
                };
                let uri = params.text_document.uri.clone();
                if !self.docs.contains_key(&uri) {
                    return self.reply_err(
                        id,
                        ErrorCode::RequestFailed,
                        format!(
                            "`{}` is not open (send `textDocument/didOpen` first)",
                            uri.as_str()
                        ),
                    );
                }
                // Answer from the text the client sees, not from findings that wait for a pause.
                self.lint_now(&uri, Trigger::Edit);
                let actions = self.code_actions(&params);
                self.outbox.push(Response::new_ok(id, actions).into());
            }
            (Phase::Running, method) => {
                let message = format!("unknown request `{method}`");
                self.reply_err(req.id, ErrorCode::MethodNotFound, message);
            }
        }
    }

    /// Extracts a request's params, answering `InvalidParams` when they do not fit.
    fn params<P: DeserializeOwned>(&mut self, req: Request) -> Option<(RequestId, P)> {
        match serde_json::from_value(req.params) {
            Ok(params) => Some((req.id, params)),
            Err(err) => {
                let message = format!("invalid params for `{}`: {err}", req.method);
                self.reply_err(req.id, ErrorCode::InvalidParams, message);
                None
            }
        }
    }

    fn initialize(&mut self, req: Request) {
        // Configuration is found per document, from its path: the workspace root is not needed.
        let Some((id, params)) = self.params::<InitializeParams>(req) else {
            return;
        };
        let capabilities = ServerCapabilities {
            position_encoding: Some(PositionEncodingKind::UTF16),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                        include_text: Some(false),
                    })),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                resolve_provider: Some(false),
                ..CodeActionOptions::default()
            })),
            ..ServerCapabilities::default()
        };
        let result = InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "concur".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        };
        self.phase = Phase::Running;
        self.outbox.push(Response::new_ok(id, result).into());
        let watches = params
            .capabilities
            .workspace
            .and_then(|w| w.did_change_watched_files)
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        if watches {
            self.watch_config();
        }
    }

    /// Asks the client to tell the server when a config file changes.
    fn watch_config(&mut self) {
        let watchers = ["**/concur.toml", "**/Cargo.toml"]
            .into_iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String(glob.into()),
                kind: None,
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: WATCH_REQUEST.into(),
                method: DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        let id = RequestId::from(WATCH_REQUEST.to_string());
        self.outbox
            .push(Request::new(id, RegisterCapability::METHOD.into(), params).into());
    }

    fn on_notification(&mut self, not: Notification) {
        if self.phase != Phase::Running {
            return;
        }
        let method = not.method.clone();
        let result = match method.as_str() {
            DidOpenTextDocument::METHOD => notification(not, |p| self.did_open(p)),
            DidChangeTextDocument::METHOD => notification(not, |p| self.did_change(p)),
            DidSaveTextDocument::METHOD => notification(not, |p| self.did_save(p)),
            DidCloseTextDocument::METHOD => notification(not, |p| self.did_close(p)),
            DidChangeWatchedFiles::METHOD => notification(not, |p| self.config_changed(p)),
            // `initialized`, `$/cancelRequest` (answers are never pending), `$/setTrace`, ...
            _ => Ok(()),
        };
        if let Err(err) = result {
            eprintln!("concur lsp: invalid params for `{method}`: {err}");
        }
    }

    fn did_open(&mut self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let path = uri_to_path(&doc.uri).unwrap_or_else(|| PathBuf::from(doc.uri.as_str()));
        self.docs.insert(
            doc.uri.clone(),
            Document {
                path,
                version: doc.version,
                text: doc.text,
                findings: Vec::new(),
                fresh: false,
                pending: Some((Instant::now(), Instant::now())),
                require_reason: false,
            },
        );
        self.lint_now(&doc.uri, Trigger::OpenOrSave);
    }

    fn did_change(&mut self, params: DidChangeTextDocumentParams) {
        let Some(doc) = self.docs.get_mut(&params.text_document.uri) else {
            eprintln!(
                "concur lsp: change to `{}`, which is not open; ignored",
                params.text_document.uri.as_str()
            );
            return;
        };
        for change in &params.content_changes {
            convert::apply_change(&mut doc.text, change);
            // Keep the findings where their code went, until the next lint replaces them.
            if let Some(range) = change.range {
                for finding in &mut doc.findings {
                    finding.shift(&params.text_document.uri, range, &change.text);
                }
            }
        }
        doc.version = params.text_document.version;
        doc.fresh = false;
        let now = Instant::now();
        doc.pending = Some((doc.pending.map_or(now, |(first, _)| first), now));
    }

    fn did_save(&mut self, params: DidSaveTextDocumentParams) {
        let uri = params.text_document.uri;
        if let (Some(text), Some(doc)) = (params.text, self.docs.get_mut(&uri)) {
            doc.text = text;
        }
        if let Some(doc) = self.docs.get_mut(&uri) {
            doc.pending.get_or_insert((Instant::now(), Instant::now()));
        }
        self.lint_now(&uri, Trigger::OpenOrSave);
    }

    fn did_close(&mut self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.docs.remove(&uri);
        self.publish(uri, Vec::new(), None);
    }

    fn config_changed(&mut self, _params: DidChangeWatchedFilesParams) {
        self.driver.reload();
        self.workspace.reload();
        let now = Instant::now();
        for doc in self.docs.values_mut() {
            doc.pending = Some((now, now));
        }
        let uris: Vec<Uri> = self.docs.keys().cloned().collect();
        for uri in uris {
            self.lint_now(&uri, Trigger::Edit);
        }
    }

    /// When the next changed document is due to be linted.
    fn next_deadline(&self) -> Option<Instant> {
        self.docs
            .values()
            .filter_map(|doc| doc.pending)
            .map(|(first, last)| (last + DEBOUNCE).min(first + MAX_DELAY))
            .min()
    }

    /// Lints every changed document whose edits paused (or waited too long).
    fn lint_due(&mut self, now: Instant) {
        let due: Vec<Uri> = self
            .docs
            .iter()
            .filter(|(_, doc)| {
                doc.pending
                    .is_some_and(|(first, last)| now >= (last + DEBOUNCE).min(first + MAX_DELAY))
            })
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in due {
            self.lint_now(&uri, Trigger::Edit);
        }
    }

    /// Lints a document that changed since its last lint, from its buffer, and publishes.
    fn lint_now(&mut self, uri: &Uri, trigger: Trigger) {
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        if doc.pending.take().is_none() {
            return;
        }
        let file = SourceFile::new(doc.path.clone(), doc.text.clone());
        let options = match self.driver.options_for(&file.path) {
            Ok(options) => options,
            Err(err) => {
                let message = format!("concur: {err}; using the default configuration");
                eprintln!("concur lsp: {err}; using the default configuration");
                if self.shown_config_error.as_deref() != Some(message.as_str()) {
                    let params = ShowMessageParams {
                        typ: MessageType::ERROR,
                        message: message.clone(),
                    };
                    self.outbox
                        .push(Notification::new(ShowMessage::METHOD.into(), params).into());
                    self.shown_config_error = Some(message);
                }
                Some(Options::default())
            }
        };
        let require_reason = options.as_ref().is_some_and(|o| o.settings.require_reason);
        if let Some(doc) = self.docs.get_mut(uri) {
            doc.require_reason = require_reason;
        }
        let analyze = self.analyze;
        let open: Vec<PathBuf> = self.docs.values().map(|d| d.path.clone()).collect();
        let workspace = &mut self.workspace;
        let result = catch_unwind(AssertUnwindSafe(|| {
            options.map_or_else(Vec::new, |options| {
                let analysis = analyze(&file, &options);
                workspace.finish(&file, analysis, &options, &open)
            })
        }));
        // proc-macro2 keeps every parsed text in a per-thread table until told to forget it.
        proc_macro2::extra::invalidate_current_thread_spans();
        let mut results = match result {
            Ok(results) => results,
            Err(panic) => {
                let message = panic_message(&*panic);
                eprintln!(
                    "concur lsp: internal error while linting `{}` (please report): {message}",
                    uri.as_str()
                );
                return;
            }
        };
        let own = results
            .iter()
            .position(|(path, _)| *path == file.path)
            .map(|i| results.swap_remove(i).1)
            .unwrap_or_default();
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        let findings = own.iter().map(|d| Finding::new(&file, uri, d));
        let parse_error = own.iter().any(|d| d.rule == PARSE_ERROR);
        if parse_error {
            // Mid-typing: keep the last good findings (already moved with the edits); on open or
            // save, show the parse error with them.
            if trigger == Trigger::OpenOrSave {
                doc.findings.retain(|f| f.rule != PARSE_ERROR);
                doc.findings.extend(findings);
            }
        } else {
            doc.findings = findings.collect();
            doc.fresh = true;
        }
        let shown = doc.findings.iter().map(|f| f.diagnostic.clone()).collect();
        let version = doc.version;
        self.publish(uri.clone(), shown, Some(version));
        // Other open documents of the package whose crate-wide findings this edit changed.
        for (path, diagnostics) in results {
            self.republish(&path, &diagnostics);
        }
    }

    /// Shows new findings for the open document at `path`, when they differ from those shown
    /// and the document's findings match its text.
    fn republish(&mut self, path: &std::path::Path, diagnostics: &[Diagnostic]) {
        let Some((uri, doc)) = self.docs.iter_mut().find(|(_, d)| d.path == path) else {
            return;
        };
        if !doc.fresh || doc.pending.is_some() {
            return;
        }
        let file = SourceFile::new(doc.path.clone(), doc.text.clone());
        let findings: Vec<Finding> = diagnostics
            .iter()
            .map(|d| Finding::new(&file, uri, d))
            .collect();
        let shown: Vec<lsp_types::Diagnostic> =
            findings.iter().map(|f| f.diagnostic.clone()).collect();
        if doc.findings.iter().map(|f| &f.diagnostic).eq(shown.iter()) {
            return;
        }
        doc.findings = findings;
        let (uri, version) = (uri.clone(), doc.version);
        self.publish(uri, shown, Some(version));
    }

    fn publish(&mut self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.outbox
            .push(Notification::new(PublishDiagnostics::METHOD.into(), params).into());
    }

    /// The quick fixes for the findings touching the requested range: each finding's suggested
    /// rewrite (only while the findings match the text), and suppressing its rule on its line.
    fn code_actions(&self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let Some(doc) = self.docs.get(uri) else {
            return Vec::new();
        };
        let wants_quickfix = params.context.only.as_ref().is_none_or(|only| {
            only.iter()
                .any(|kind| CodeActionKind::QUICKFIX.as_str().starts_with(kind.as_str()))
        });
        if !wants_quickfix {
            return Vec::new();
        }
        let action = |title: String, edits: Vec<TextEdit>, finding: &Finding, preferred: bool| {
            CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![finding.diagnostic.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: preferred.then_some(true),
                ..CodeAction::default()
            })
        };
        // A new suppression must say why when the configuration requires a reason.
        let require_reason = doc.require_reason;
        let mut actions = Vec::new();
        for finding in &doc.findings {
            if !convert::ranges_touch(finding.diagnostic.range, params.range) {
                continue;
            }
            if let Some((title, edits, applicability)) = &finding.fix
                && doc.fresh
            {
                let preferred = *applicability == Applicability::MachineApplicable;
                actions.push(action(title.clone(), edits.clone(), finding, preferred));
            }
            if rules::find(finding.rule).is_some()
                && let Some(edit) = convert::suppress_edit(
                    &doc.text,
                    finding.diagnostic.range.start.line,
                    finding.rule,
                    require_reason,
                )
            {
                let title = format!("suppress `{}` on this line", finding.rule);
                actions.push(action(title, vec![edit], finding, false));
            }
        }
        actions
    }
}

impl Finding {
    fn new(file: &SourceFile, uri: &Uri, diag: &Diagnostic) -> Self {
        let fix = diag.suggestion.as_ref().map(|s| {
            let edits = s
                .edits
                .iter()
                .map(|e| TextEdit::new(convert::lsp_range(file, e.span), e.replacement.clone()))
                .collect();
            (s.message.clone(), edits, s.applicability)
        });
        Finding {
            rule: diag.rule,
            diagnostic: convert::lsp_diagnostic(file, uri, diag),
            fix,
        }
    }

    /// Moves every range of this finding in document `uri` through one edit.
    fn shift(&mut self, uri: &Uri, edit: lsp_types::Range, new_text: &str) {
        let diag = &mut self.diagnostic;
        diag.range = convert::shift_range(diag.range, edit, new_text);
        for related in diag.related_information.iter_mut().flatten() {
            if &related.location.uri == uri {
                related.location.range =
                    convert::shift_range(related.location.range, edit, new_text);
            }
        }
        for fix in self.fix.iter_mut().flat_map(|(_, edits, _)| edits) {
            fix.range = convert::shift_range(fix.range, edit, new_text);
        }
    }
}

/// The text a panic was raised with.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(ToString::to_string)
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

/// Decodes a notification's params and handles them.
fn notification<P: DeserializeOwned>(
    not: Notification,
    handle: impl FnOnce(P),
) -> Result<(), serde_json::Error> {
    serde_json::from_value(not.params).map(handle)
}

/// The local path a `file://` URI names (percent-decoded); `None` for other schemes.
fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // Skip the authority (`localhost` or empty).
    let path = &rest[rest.find('/')?..];
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    Some(PathBuf::from(String::from_utf8(decoded).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(server: &mut Server, uri: &str, text: &str) -> Uri {
        let uri: Uri = uri.parse().expect("valid uri");
        let params = serde_json::json!({
            "textDocument": { "uri": uri.as_str(), "languageId": "rust", "version": 1, "text": text }
        });
        server.handle(Notification::new(DidOpenTextDocument::METHOD.into(), params).into());
        uri
    }

    fn running(analyze: AnalyzeFn) -> Server {
        let mut server = Server::new(analyze);
        server.phase = Phase::Running;
        server
    }

    #[test]
    fn a_panic_while_linting_is_caught_and_the_server_goes_on() {
        fn panics(_: &SourceFile, _: &Options) -> FileAnalysis {
            panic!("rule bug")
        }
        let mut server = running(panics);
        open(&mut server, "file:///tmp/a.rs", "fn main() {}\n");
        assert!(
            server.outbox.is_empty(),
            "nothing published for a panicked lint"
        );
        server.analyze = driver::analyze_source;
        open(&mut server, "file:///tmp/b.rs", "fn main() {}\n");
        assert_eq!(server.outbox.len(), 1, "the next document is linted");
    }

    #[test]
    fn findings_survive_a_document_that_stops_parsing() {
        let mut server = running(driver::analyze_source);
        let text = "async fn f() {\n    std::thread::sleep(d);\n}\n";
        let uri = open(&mut server, "file:///tmp/c.rs", text);
        let change = serde_json::json!({
            "textDocument": { "uri": uri.as_str(), "version": 2 },
            "contentChanges": [{ "range": { "start": { "line": 0, "character": 0 },
                                            "end": { "line": 0, "character": 0 } },
                                 "text": "fn broken( {\n\n" }]
        });
        server.handle(Notification::new(DidChangeTextDocument::METHOD.into(), change).into());
        server.lint_due(Instant::now() + MAX_DELAY);
        let doc = &server.docs[&uri];
        assert_eq!(doc.findings.len(), 1);
        assert_eq!(
            doc.findings[0].diagnostic.range.start.line, 3,
            "moved 2 lines down"
        );
        assert!(!doc.fresh);
    }

    #[test]
    fn file_uris_are_percent_decoded() {
        let uri: Uri = "file:///tmp/caf%C3%A9%20x.rs".parse().expect("uri");
        assert_eq!(uri_to_path(&uri), Some(PathBuf::from("/tmp/café x.rs")));
        let untitled: Uri = "untitled:Untitled-1".parse().expect("uri");
        assert_eq!(uri_to_path(&untitled), None);
    }
}
