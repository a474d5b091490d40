use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::thread;

/// A channel half and a lock made in `new` and kept in fields: the map draws each once.
pub struct Pool {
    jobs: Sender<u32>,
    results: Arc<Mutex<Vec<u32>>>,
}

impl Pool {
    pub fn new() -> Pool {
        let (jobs, queue) = mpsc::channel();
        let results = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&results);
        thread::spawn(move || {
            for job in queue {
                sink.lock().unwrap().push(job);
            }
        });
        Pool { jobs, results }
    }

    pub fn submit(&self, job: u32) {
        self.jobs.send(job).unwrap();
    }

    pub fn done(&self) -> usize {
        self.results.lock().unwrap().len()
    }
}
