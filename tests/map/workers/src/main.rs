use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;

mod bank;
mod pool;

use bank::Bank;

static mut RUNS: u32 = 0;

struct Stats {
    done: AtomicUsize,
}

impl Stats {
    fn finish(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }
}

fn main() {
    let bank = Arc::new(Bank::new());
    let stats = Arc::new(Stats { done: AtomicUsize::new(0) });
    let (tx, rx) = mpsc::channel();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut handles = Vec::new();
    for id in 0..4 {
        let tx = tx.clone();
        let bank = Arc::clone(&bank);
        let stats = Arc::clone(&stats);
        let seen = Arc::clone(&seen);
        handles.push(thread::spawn(move || {
            work(id, &bank, &tx);
            record(&seen, id);
            stats.finish();
        }));
    }
    drop(tx);
    thread::spawn(move || audit(&bank));
    collect(rx);
    for handle in handles {
        handle.join().unwrap();
    }
    unsafe {
        RUNS += 1;
    }
    let _ = Command::new("sync").status();
    let pool = pool::Pool::new();
    pool.submit(7);
    println!("{}", pool.done());
    // A command object's or a query's `execute` is no pool job: no node.
    let mut log = Vec::new();
    Action.execute(&mut log);
    let conn = &mut log;
    Action.execute(conn);
}

struct Action;

impl Action {
    fn execute(&self, log: &mut Vec<String>) {
        log.push("ran".into());
    }
}

fn work(id: u32, bank: &Bank, tx: &Sender<u32>) {
    bank.transfer(id);
    tx.send(id).unwrap();
}

// The lock is a parameter here: the map follows it to the local `seen` of `main`.
fn record(seen: &Mutex<Vec<u32>>, id: u32) {
    seen.lock().unwrap().push(id);
}

fn audit(bank: &Bank) {
    bank.audit();
}

fn collect(rx: Receiver<u32>) {
    for id in rx {
        println!("{id}");
    }
}
