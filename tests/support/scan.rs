//! Scans for leaked personal and card data: the demo customers' own values, searched in one pass
//! through logs, database files and the data folder.

use aho_corasick::AhoCorasick;
use breachdesk::customer::demo_csv::{self, DemoCustomer};
use breachdesk::demo::{DEMO_CUSTOMER_SEED, DEMO_CUSTOMERS, incident_profile};

/// Shorter values (a two-character name, a three-digit code) would match by chance.
const SHORTEST: usize = 8;

/// Every demo customer, as the demo loader generates them.
pub fn demo_customers() -> Vec<DemoCustomer> {
    let profile = incident_profile();
    demo_csv::generate(
        DEMO_CUSTOMERS,
        DEMO_CUSTOMER_SEED,
        profile.affected_from..=profile.affected_until,
    )
    .collect()
}

/// Names, emails, phones (as written and digits only) and addresses.
pub fn personal_values(customers: &[DemoCustomer]) -> Vec<String> {
    let mut values = Vec::new();
    for customer in customers {
        let digits: String = customer.phone.chars().filter(char::is_ascii_digit).collect();
        values.extend([
            customer.name.clone(),
            customer.address.clone(),
            customer.phone.clone(),
            digits,
        ]);
        values.extend(customer.email.clone());
    }
    long_enough(values)
}

/// Card numbers (digits only, and grouped by four with spaces or hyphens) and expiry + security code pairs.
pub fn card_values(customers: &[DemoCustomer]) -> Vec<String> {
    let mut values = Vec::new();
    for customer in customers {
        let digits: String = customer.card_number.chars().filter(char::is_ascii_digit).collect();
        let groups: Vec<String> = digits
            .as_bytes()
            .chunks(4)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect();
        let (expiry, code) = (&customer.expiry, &customer.security_code);
        values.extend([
            groups.join(" "),
            groups.join("-"),
            digits,
            format!("{expiry},{code}"),
            format!("{expiry} {code}"),
            format!("{expiry}\t{code}"),
        ]);
    }
    long_enough(values)
}

fn long_enough(mut values: Vec<String>) -> Vec<String> {
    values.retain(|value| value.len() >= SHORTEST);
    values.sort();
    values.dedup();
    values
}

/// The first of `needles` found in `haystack`, if any.
pub fn find_any(haystack: &[u8], needles: &[String]) -> Option<String> {
    let matcher = AhoCorasick::new(needles).expect("a matcher over the demo values");
    matcher
        .find(haystack)
        .map(|found| needles[found.pattern().as_usize()].clone())
}

/// Every file under `folder`, recursively, with its bytes.
pub fn files_under(folder: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("read the data folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                files.push((path, bytes));
            }
        }
    }
    files
}
