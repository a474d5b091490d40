use std::collections::HashMap;
use std::sync::Mutex;

pub struct Bank {
    accounts: Mutex<HashMap<u32, i64>>,
    log: Mutex<Vec<String>>,
}

impl Bank {
    pub fn new() -> Self {
        Bank {
            accounts: Mutex::new(HashMap::new()),
            log: Mutex::new(Vec::new()),
        }
    }

    pub fn transfer(&self, id: u32) {
        let mut accounts = self.accounts.lock().unwrap();
        *accounts.entry(id).or_default() += 1;
        let mut log = self.log.lock().unwrap();
        log.push(format!("transfer {id}"));
    }

    pub fn audit(&self) {
        let log = self.log.lock().unwrap();
        let accounts = self.accounts.lock().unwrap();
        println!("{} entries, {} accounts", log.len(), accounts.len());
    }
}

/// Opposite orders where one lock is only read on both sides: readers do not wait for each
/// other, so this is no cycle (as `lock_order_inversion` judges it too).
pub struct Catalog {
    items: std::sync::RwLock<Vec<u32>>,
    index: std::sync::RwLock<Vec<u32>>,
}

impl Catalog {
    pub fn reindex(&self) {
        let items = self.items.read().unwrap();
        let mut index = self.index.write().unwrap();
        index.clone_from(&items);
    }

    pub fn lookup(&self) -> usize {
        let index = self.index.write().unwrap();
        let items = self.items.read().unwrap();
        index.len() + items.len()
    }
}
