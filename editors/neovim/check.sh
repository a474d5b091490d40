#!/usr/bin/env bash
# Editor proof for `concur lsp`: a scripted headless Neovim (0.7+, `apt-get install neovim`) opens a
# sample file with concur as its language server and prints the diagnostics it received, the quick
# fixes offered, and the diagnostics after applying one. CONCUR=path/to/concur to skip the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${CONCUR:-}" ]; then
  cargo build --release --quiet
  CONCUR="${CARGO_TARGET_DIR:-target}/release/concur"
fi
CONCUR=$(realpath "$CONCUR")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/sample.rs" <<'RUST'
use std::time::Duration;

use tokio::sync::Mutex;

async fn refresh(cache: &Mutex<Vec<String>>, path: &str) -> std::io::Result<()> {
    let note = "café 🦀"; std::thread::sleep(Duration::from_millis(50));
    let text = std::fs::read_to_string(path)?;
    cache.lock().await.push(format!("{note}: {text}"));
    Ok(())
}

fn checksum(data: Vec<u8>) -> u32 {
    let handle = std::thread::spawn(move || data.iter().map(|&b| u32::from(b)).sum());
    handle.join().unwrap_or(0)
}
RUST
CONCUR="$CONCUR" timeout 60 nvim --headless -u NONE -i NONE -n "$dir/sample.rs" \
  -c "luafile editors/neovim/check.lua"
