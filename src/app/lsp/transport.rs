//! JSON-RPC framing over stdio with `lsp-server`'s message types.
//!
//! `lsp_server::Connection::stdio` ends its reader thread on the first payload that is not a
//! valid message, which would take the server down; this reader answers such a payload with the
//! JSON-RPC error it deserves (`-32700` parse error, `-32600` invalid request) and reads on.

use std::io::{self, BufRead, Write};
use std::sync::mpsc::Sender;

use lsp_server::{ErrorCode, Message, RequestId};
use serde_json::{Value, json};

/// Writes one framed message to stdout, holding the lock for the whole frame so the reader's
/// error replies and the server's messages never interleave.
pub fn write_message(msg: &Message) -> io::Result<()> {
    let stdout = io::stdout();
    let mut lock = stdout.lock();
    msg.write(&mut lock)
}

/// Writes a JSON-RPC error response; `id` is `null` when the request's id could not be read.
fn write_error(id: Option<RequestId>, code: ErrorCode, message: &str) -> io::Result<()> {
    let body = json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code as i32, "message": message },
    })
    .to_string();
    let stdout = io::stdout();
    let mut lock = stdout.lock();
    write!(lock, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    lock.flush()
}

/// Reads framed messages from `input` and sends each to `tx`, until end of input, the `exit`
/// notification, or the server is gone. Bad payloads are answered here and skipped.
pub fn read_messages(mut input: impl BufRead, tx: &Sender<Message>) -> io::Result<()> {
    while let Some(body) = read_frame(&mut input)? {
        let value: Value = match serde_json::from_slice(&body) {
            Ok(value) => value,
            Err(err) => {
                eprintln!("concur lsp: malformed JSON payload: {err}");
                write_error(None, ErrorCode::ParseError, &format!("parse error: {err}"))?;
                continue;
            }
        };
        let id = value
            .get("id")
            .and_then(|id| serde_json::from_value::<RequestId>(id.clone()).ok());
        let msg = match serde_json::from_value::<Message>(value) {
            Ok(msg) => msg,
            Err(err) => {
                eprintln!("concur lsp: invalid JSON-RPC message: {err}");
                write_error(
                    id,
                    ErrorCode::InvalidRequest,
                    &format!("invalid request: {err}"),
                )?;
                continue;
            }
        };
        let is_exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
        if tx.send(msg).is_err() || is_exit {
            break;
        }
    }
    Ok(())
}

/// Reads one `Content-Length`-framed body; `None` at end of input. A header block without a
/// usable length is reported and skipped.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    loop {
        let mut length = None;
        let mut line = String::new();
        loop {
            line.clear();
            if input.read_line(&mut line)? == 0 {
                return Ok(None);
            }
            let header = line.trim_end_matches(['\r', '\n']);
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.trim().eq_ignore_ascii_case("Content-Length")
            {
                length = value.trim().parse::<usize>().ok();
            }
        }
        let Some(length) = length else {
            eprintln!("concur lsp: message without a valid Content-Length header; skipped");
            continue;
        };
        let mut body = vec![0; length];
        input.read_exact(&mut body)?;
        return Ok(Some(body));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_read_back_to_back() {
        let mut input: &[u8] =
            b"Content-Length: 2\r\n\r\n{}content-length:3\r\nX-Other: 1\r\n\r\n[1]";
        assert_eq!(read_frame(&mut input).expect("read"), Some(b"{}".to_vec()));
        assert_eq!(read_frame(&mut input).expect("read"), Some(b"[1]".to_vec()));
        assert_eq!(read_frame(&mut input).expect("read"), None);
    }
}
