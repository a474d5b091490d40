use std::sync::Arc;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, Mutex, RwLock};

struct AppState {
    sessions: Mutex<Vec<u64>>,
    config: RwLock<String>,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let state = Arc::new(AppState {
        sessions: Mutex::new(Vec::new()),
        config: RwLock::new(String::new()),
    });
    let (events, inbox) = mpsc::channel(64);
    tokio::spawn(log_events(inbox));
    let listener = TcpListener::bind("127.0.0.1:8080").await?;
    loop {
        let (socket, _) = listener.accept().await?;
        let state = Arc::clone(&state);
        let events = events.clone();
        tokio::spawn(async move {
            handle(socket, &state, events).await;
        });
    }
}

async fn handle(socket: TcpStream, state: &AppState, events: mpsc::Sender<String>) {
    let name = state.config.read().await.clone();
    state.sessions.lock().await.push(1);
    let digest = tokio::task::spawn_blocking(move || checksum(&name)).await.unwrap();
    let _ = std::fs::write("last-digest", digest.to_string());
    events.send(format!("{socket:?}")).await.unwrap();
}

fn checksum(text: &str) -> u64 {
    text.bytes().map(u64::from).sum()
}

async fn log_events(mut inbox: mpsc::Receiver<String>) {
    while let Some(event) = inbox.recv().await {
        println!("{event}");
    }
}
