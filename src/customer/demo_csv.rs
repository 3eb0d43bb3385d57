//! Realistic, deterministic affected-customer CSV files for demos, tests and benchmarks.

use std::io::{self, BufWriter, Write};
use std::ops::RangeInclusive;

use time::{Date, Duration};

use super::demo_tables::{
    BUILDING_KINDS, BUILDING_NAMES, CITIES, City, EMAIL_DOMAINS, FAMILY_NAMES, GIVEN_NAMES, TOWNS,
};

/// The header of the generated file, in Japanese as a card processor would export it.
pub const CSV_HEADER: [&str; 11] = [
    "顧客番号",
    "カード会員名",
    "フリガナ",
    "カード番号",
    "有効期限",
    "セキュリティコード",
    "郵便番号",
    "住所",
    "メールアドレス",
    "電話番号",
    "決済日",
];

/// One made-up customer, every field as it is written to the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCustomer {
    pub customer_id: String,
    pub name: String,
    pub kana: String,
    /// A valid-Luhn number under a well-known test-card prefix, never a real card.
    pub card_number: String,
    /// MM/YY
    pub expiry: String,
    pub security_code: String,
    pub postal_code: String,
    pub address: String,
    pub email: Option<String>,
    pub phone: String,
    pub order_date: Date,
}

/// `count` customers, the same for the same `seed`, with order dates inside `period`
/// (a reversed period puts every order on its start day).
pub fn generate(count: usize, seed: u64, period: RangeInclusive<Date>) -> impl Iterator<Item = DemoCustomer> {
    let mut rng = SplitMix64(seed);
    (0..count).map(move |index| customer(&mut rng, index, &period))
}

/// One CSV line with its CRLF, fields quoted where they hold a comma, quote or line break.
pub fn csv_row(customer: &DemoCustomer) -> String {
    let date = customer.order_date;
    let order_date = format!("{}/{:02}/{:02}", date.year(), u8::from(date.month()), date.day());
    let fields = [
        customer.customer_id.as_str(),
        &customer.name,
        &customer.kana,
        &customer.card_number,
        &customer.expiry,
        &customer.security_code,
        &customer.postal_code,
        &customer.address,
        customer.email.as_deref().unwrap_or(""),
        &customer.phone,
        &order_date,
    ];
    csv_line(&fields)
}

/// Writes the header and the customers as UTF-8 (no BOM).
pub fn write_csv<W: Write>(out: W, customers: impl IntoIterator<Item = DemoCustomer>) -> io::Result<()> {
    write_lines(out, customers, |out, line| out.write_all(line.as_bytes()))
}

/// Writes the header and the customers as Shift_JIS (CP932), as Excel on Japanese Windows saves CSV.
#[cfg(feature = "server")]
pub fn write_csv_shift_jis<W: Write>(out: W, customers: impl IntoIterator<Item = DemoCustomer>) -> io::Result<()> {
    write_lines(out, customers, |out, line| {
        let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(line);
        if unmappable {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "a character has no Shift_JIS form",
            ));
        }
        out.write_all(&bytes)
    })
}

fn write_lines<W: Write>(
    out: W,
    customers: impl IntoIterator<Item = DemoCustomer>,
    mut write_line: impl FnMut(&mut BufWriter<W>, &str) -> io::Result<()>,
) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    write_line(&mut out, &csv_line(&CSV_HEADER))?;
    for customer in customers {
        write_line(&mut out, &csv_row(&customer))?;
    }
    out.flush()
}

fn csv_line(fields: &[&str]) -> String {
    let mut line = String::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        if field.contains([',', '"', '\r', '\n']) {
            line.push('"');
            line.push_str(&field.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(field);
        }
    }
    line.push_str("\r\n");
    line
}

fn customer(rng: &mut SplitMix64, index: usize, period: &RangeInclusive<Date>) -> DemoCustomer {
    let family = rng.pick(&FAMILY_NAMES);
    let given = rng.pick(&GIVEN_NAMES);
    // Web forms get both kinds of space between family and given name.
    let space = if rng.chance(30) { "\u{3000}" } else { " " };
    let city = rng.weighted(&CITIES, |city| city.weight);
    let (card_number, security_code) = card(rng);
    DemoCustomer {
        customer_id: format!("HM{:07}", index + 1),
        name: format!("{}{space}{}", family.0, given.0),
        kana: format!("{}{space}{}", family.1, given.1),
        card_number,
        expiry: format!("{:02}/{}", 1 + rng.below(12), 18 + rng.below(5)),
        security_code,
        postal_code: format!("{}-{}", city.postal_prefix, rng.digits(4)),
        address: address(rng, city),
        email: rng.chance(70).then(|| email(rng, family.2, given.2)),
        phone: phone(rng, city),
        order_date: order_date(rng, period),
    }
}

fn address(rng: &mut SplitMix64, city: &City) -> String {
    let town = if city.towns.is_empty() {
        *rng.pick(&TOWNS)
    } else {
        *rng.pick(city.towns)
    };
    let (chome, ban, go) = (1 + rng.below(5), 1 + rng.below(30), 1 + rng.below(20));
    let mut street = if rng.chance(60) {
        format!("{town}{chome}丁目{ban}-{go}")
    } else {
        format!("{town}{chome}-{ban}-{go}")
    };
    // Some people type the number part in full width.
    if rng.chance(10) {
        street = to_full_width_number(&street);
    }
    let mut address = format!("{}{}{street}", city.prefecture, city.name);
    if rng.chance(30) {
        let building = format!(
            "{}{} {}{:02}",
            rng.pick(&BUILDING_KINDS),
            rng.pick(&BUILDING_NAMES),
            1 + rng.below(8),
            1 + rng.below(12)
        );
        // A few exports keep the line break typed between street and building.
        address.push_str(if rng.chance(10) { "\r\n" } else { " " });
        address.push_str(&building);
    }
    address
}

fn phone(rng: &mut SplitMix64, city: &City) -> String {
    let phone = if rng.chance(60) {
        let prefix = *rng.weighted(&[("090", 50), ("080", 35), ("070", 15)], |&(_, weight)| weight);
        format!("{}-{}{}-{}", prefix.0, 1 + rng.below(9), rng.digits(3), rng.digits(4))
    } else {
        // Area code, exchange and subscriber make ten digits; the exchange never starts with 0 or 1.
        let exchange_len = 10 - city.area_code.len() - 4;
        let exchange = format!("{}{}", 2 + rng.below(8), rng.digits(exchange_len - 1));
        format!("{}-{exchange}-{}", city.area_code, rng.digits(4))
    };
    if rng.chance(3) {
        to_full_width_number(&phone)
    } else {
        phone
    }
}

fn email(rng: &mut SplitMix64, family: &str, given: &str) -> String {
    let initial = given.chars().next().unwrap_or('x');
    let year = (50 + rng.below(56)) % 100;
    let local = match rng.below(6) {
        0 => format!("{given}.{family}"),
        1 => format!("{family}.{given}"),
        2 => format!("{given}{year:02}"),
        3 => format!("{initial}{family}{year:02}"),
        4 => format!("{family}_{given}"),
        _ => format!("{given}-{family}{}", rng.digits(3)),
    };
    format!("{local}@{}", rng.pick(&EMAIL_DOMAINS))
}

/// Issuer prefixes of the card numbers payment sandboxes publish for testing, so a
/// generated number is well-formed for its brand without being anyone's card.
const CARD_PREFIXES: [(&str, usize, u64); 13] = [
    ("411111", 16, 10),
    ("400000", 16, 10),
    ("424242", 16, 10),
    ("401288", 16, 10),
    ("353011", 16, 15),
    ("356600", 16, 15),
    ("555555", 16, 6),
    ("510510", 16, 6),
    ("520082", 16, 6),
    ("378282", 15, 4),
    ("371449", 15, 3),
    ("305693", 14, 2),
    ("362272", 14, 3),
];

/// A valid-Luhn number and a security code (4 digits for AMEX, 3 otherwise).
fn card(rng: &mut SplitMix64) -> (String, String) {
    let &(prefix, len, _) = rng.weighted(&CARD_PREFIXES, |&(_, _, weight)| weight);
    let mut number = format!("{prefix}{}", rng.digits(len - prefix.len() - 1));
    number.push(luhn_check_digit(&number));
    let code_len = if prefix.starts_with("37") { 4 } else { 3 };
    (number, rng.digits(code_len))
}

/// The digit that makes `payload` + digit pass the Luhn check.
fn luhn_check_digit(payload: &str) -> char {
    let sum: u32 = payload
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            // The check digit will sit at the right, so the payload's last digit is doubled.
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    char::from(b'0' + ((10 - sum % 10) % 10) as u8)
}

fn order_date(rng: &mut SplitMix64, period: &RangeInclusive<Date>) -> Date {
    let (&first, &last) = (period.start(), period.end());
    let days = (last - first).whole_days().max(0);
    let offset = rng.below(u64::try_from(days).unwrap_or(0) + 1);
    first
        .checked_add(Duration::days(i64::try_from(offset).unwrap_or(0)))
        .unwrap_or(first)
}

fn to_full_width_number(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(u32::from(c) + 0xFEE0).unwrap_or(c),
            '-' => '－',
            c => c,
        })
        .collect()
}

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast and good enough for made-up
/// data; keeps the generator free of the `rand` dependency and stable across versions.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (multiply-shift; the bias is below 2⁻⁵⁰ for these small n).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn weighted<'a, T>(&mut self, items: &'a [T], weight: impl Fn(&T) -> u64) -> &'a T {
        let total: u64 = items.iter().map(&weight).sum();
        let mut ticket = self.below(total);
        for item in items {
            let w = weight(item);
            if ticket < w {
                return item;
            }
            ticket -= w;
        }
        &items[items.len() - 1]
    }

    fn digits(&mut self, count: usize) -> String {
        (0..count).map(|_| char::from(b'0' + self.below(10) as u8)).collect()
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::super::{Address, CardNumber, CustomerName, Email, NameKana, PhoneNumber, PostalCode, luhn_valid};
    use super::*;

    const PERIOD: RangeInclusive<Date> = date!(2017 - 02 - 10)..=date!(2017 - 05 - 25);

    fn csv_text(count: usize, seed: u64) -> Vec<u8> {
        let mut out = Vec::new();
        write_csv(&mut out, generate(count, seed, PERIOD)).expect("writing to memory succeeds");
        out
    }

    #[test]
    fn the_same_seed_gives_the_same_file_and_another_seed_another() {
        assert_eq!(csv_text(500, 7), csv_text(500, 7));
        assert_ne!(csv_text(500, 7), csv_text(500, 8));
    }

    #[test]
    fn every_generated_value_passes_the_domain_parsers() {
        for customer in generate(3000, 1, PERIOD) {
            assert!(CustomerName::parse(&customer.name).is_ok(), "{customer:?}");
            assert!(NameKana::parse(&customer.kana).is_ok(), "{customer:?}");
            assert!(CardNumber::parse(&customer.card_number).is_ok(), "{customer:?}");
            assert!(PostalCode::parse(&customer.postal_code).is_ok(), "{customer:?}");
            assert!(Address::parse(&customer.address).is_ok(), "{customer:?}");
            assert!(PhoneNumber::parse(&customer.phone).is_ok(), "{customer:?}");
            assert!(
                customer
                    .email
                    .as_deref()
                    .is_none_or(|email| Email::parse(email).is_ok()),
                "{customer:?}"
            );
            assert!(PERIOD.contains(&customer.order_date), "{customer:?}");
        }
    }

    #[test]
    fn about_seventy_percent_have_an_email_and_only_at_example_domains() {
        let customers: Vec<DemoCustomer> = generate(6860, 2, PERIOD).collect();
        let emails: Vec<&str> = customers.iter().filter_map(|c| c.email.as_deref()).collect();
        let share = emails.len() * 100 / customers.len();
        assert!((65..=75).contains(&share), "{share}%");
        assert!(emails.iter().all(|email| email.ends_with("example.com")
            || email.ends_with("example.jp")
            || email.ends_with("example.net")
            || email.ends_with("example.org")));
    }

    #[test]
    fn cards_of_several_brands_with_matching_security_code_lengths_are_generated() {
        let mut brands = std::collections::HashSet::new();
        for customer in generate(2000, 3, PERIOD) {
            let card = CardNumber::parse(&customer.card_number).expect("valid");
            let expected_code_len = if card.brand() == crate::customer::CardBrand::Amex {
                4
            } else {
                3
            };
            assert_eq!(customer.security_code.len(), expected_code_len);
            assert!(luhn_valid(&customer.card_number));
            brands.insert(card.brand());
        }
        assert_eq!(brands.len(), 5, "{brands:?}");
    }

    #[test]
    fn the_whole_period_is_used_and_a_reversed_period_collapses_to_its_start() {
        let dates: Vec<Date> = generate(6860, 4, PERIOD).map(|c| c.order_date).collect();
        assert!(dates.contains(PERIOD.start()) && dates.contains(PERIOD.end()));
        let reversed = date!(2017 - 05 - 25)..=date!(2017 - 02 - 10);
        assert!(generate(50, 4, reversed).all(|c| c.order_date == date!(2017 - 05 - 25)));
    }

    #[test]
    fn fields_with_commas_quotes_or_line_breaks_are_quoted() {
        assert_eq!(
            csv_line(&["a,b", "say \"hi\"", "x\r\ny", "plain"]),
            "\"a,b\",\"say \"\"hi\"\"\",\"x\r\ny\",plain\r\n"
        );
    }

    #[cfg(feature = "server")]
    mod parsed_back {
        use super::*;
        use crate::customer::{CsvEncoding, CustomerCsvReader};

        fn import(bytes: &[u8]) -> (CsvEncoding, usize, Vec<String>) {
            let reader = CustomerCsvReader::new(bytes, CsvEncoding::Auto, b"demo-key").expect("valid header");
            let encoding = reader.encoding();
            let mut valid = 0;
            let mut problems = Vec::new();
            for item in reader {
                match item {
                    Ok(_) => valid += 1,
                    Err(error) => problems.push(format!("{error:?}")),
                }
            }
            (encoding, valid, problems)
        }

        #[test]
        fn the_demo_incident_file_of_6860_customers_parses_back_with_no_problems() {
            let (encoding, valid, problems) = import(&csv_text(6860, 20_170_525));
            assert_eq!(encoding, CsvEncoding::Utf8);
            assert_eq!(problems, Vec::<String>::new());
            assert_eq!(valid, 6860);
        }

        #[test]
        fn the_shift_jis_demo_file_parses_back_with_no_problems() {
            let mut bytes = Vec::new();
            write_csv_shift_jis(&mut bytes, generate(6860, 20_170_525, PERIOD))
                .expect("every character has a Shift_JIS form");
            let (encoding, valid, problems) = import(&bytes);
            assert_eq!(encoding, CsvEncoding::ShiftJis);
            assert_eq!(problems, Vec::<String>::new());
            assert_eq!(valid, 6860);
        }
    }
}
